"""Entry point: `python -m kooperacje` and the `kooperacje` console script."""

from kooperacje.cli import main

if __name__ == "__main__":
    main()
