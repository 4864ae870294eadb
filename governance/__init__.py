"""Governance domain: people, organisations, groups, programme; no HTTP, no templates."""
