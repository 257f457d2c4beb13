"""`python -m pipeline`: the same command line as `nianbao`."""

from .cli import app

if __name__ == "__main__":
    app(prog_name="nianbao")
