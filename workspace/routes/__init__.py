"""Routes, one module per area; each exports `routes`, a list the app mounts in order."""
