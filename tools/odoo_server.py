"""Run Odoo with its own arguments, as ``python3 -m odoo`` would, but from a
script:

    python3 tools/odoo_server.py -c odoo.conf -d db ...

Odoo's prefork server (``--workers``) starts its websocket (gevent) process
by running ``sys.argv[0]`` again; under ``-m odoo`` that is Odoo's
``__main__.py`` run as a plain file, which fails at its first import, again
and again, and the web client's live notifications never arrive.  This
script's path runs again.
"""

from odoo.cli.command import main

if __name__ == "__main__":
    main()
