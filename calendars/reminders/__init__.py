"""The reminder engine's domain: lead times, what each subject wants reminded (plans), keeping the rows
in step with every change (sync), the claim protocol that lets only one process send a row (queue),
and the calls for help that ask those who carried least first (calls)."""
