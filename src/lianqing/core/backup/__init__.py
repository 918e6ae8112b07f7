"""Backups that restore: one sealed archive of the database, the instance's keys, uploads and data
packages, and the audit heads; `verify` checks one without restoring it."""
