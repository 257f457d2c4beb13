"""`python -m pipeline`: the same command line as `nianbao`."""

from .entry import main

if __name__ == "__main__":
    main(prog="nianbao")
