"""The collision rule library: one DuckDB SQL file per rule (RULES.md), read by the engine.

Each `<id>.sql` opens with a YAML block comment holding the rule's metadata; `shared/`
holds the shared definitions (macros and views) every rule may use.
"""
