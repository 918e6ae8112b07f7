"""Command-line front ends of the analytics library (argv in, exit code out)."""
