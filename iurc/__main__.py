"""`python -m iurc` runs the command line."""

from iurc.cli import app

app()
