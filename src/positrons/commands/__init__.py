"""One module per command group of the ``positrons`` command line.

Each module has ``add_commands(subparsers)``; :data:`positrons.cli.COMMANDS` lists the
commands with their modules, and a module is imported only when its command is run or its
``--help`` is asked.  Building a parser imports no numpy, scipy, astropy or physics
(tests/test_cli_startup.py): the library is imported inside the handlers, and each handler
is thin (parse, build settings, call one function of :mod:`positrons.analysis`, write).
"""
