"""One module per command group of the ``positrons`` command line.

Each module has ``add_commands(subparsers)``; :mod:`positrons.cli` lists the modules.
Commands import the library lazily, so ``positrons --help`` stays fast.
"""
