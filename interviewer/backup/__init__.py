"""A team's data, out and back: ``flask export-team`` and ``flask import-team``.

``tables`` finds the team's tables in the metadata and says how each column is written as
JSON and read back; ``export`` writes one team as schema-versioned JSON, table by table;
``load`` reads such a file into an empty database; ``cli`` holds the commands.
"""
