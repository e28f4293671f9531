"""IURC Impact's command line (`iurc`), above both pipelines and dashboard; nothing imports it."""
