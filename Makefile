# breakfix_billing — developer commands.  See README.md.
#
#   make demo    serve Odoo with the addon and demo data on http://127.0.0.1:8069
#                (QUEUE=1: with breakfix_billing_queue and queue_job's runner)
#   make test    lint, the addon's Odoo tests, and the outside-in pytest suite
#   make bench   time invoice drafting against Odoo's sale-order invoicing
#
# Both start a local PostgreSQL cluster in .local/ (tools/pg.sh) and install
# what is missing (tools/bootstrap.sh).  Odoo 18.0 is the one `python3`
# imports; it is installed from Odoo's official source only if missing.

PYTHON ?= python3
export PYTHON
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: demo test bench bootstrap pg-start pg-stop demo-reset clean

bootstrap:
	@tools/bootstrap.sh

demo: bootstrap
	@$(PYTHON) tools/devenv.py demo $(if $(QUEUE),--queue)

# The cluster is stopped afterwards only if this run started it.
#
# BREAKFIX_TEST_CLOCK="2026-12-01 23:45:00" (UTC) runs Odoo (tools/fakeclock.py)
# and the cluster (libfaketime, Debian's faketime) with their clock starting
# at that moment and running on: one offset for both, BREAKFIX_FAKETIME.  A
# running cluster is restarted with it, and without it afterwards.
test:
	@tools/bootstrap.sh --test
	@if tools/pg.sh status; then started=; else started=1; fi; \
	if [ -n "$$BREAKFIX_TEST_CLOCK" ]; then \
	  target=$$(TZ=UTC date -d "$$BREAKFIX_TEST_CLOCK" +%s) || exit 2; \
	  export BREAKFIX_FAKETIME="$$(printf '%+d' $$((target - $$(date +%s))))s"; \
	fi; \
	tools/pg.sh start; \
	$(PYTHON) -m pytest tests $(PYTEST_ARGS); rc=$$?; \
	if [ -n "$$started" ]; then tools/pg.sh stop; \
	elif [ -n "$$BREAKFIX_TEST_CLOCK" ]; then BREAKFIX_FAKETIME= tools/pg.sh start; fi; \
	exit $$rc

# BENCH_ARGS=--quick for N = 10 only; see bench/run.py
bench: bootstrap
	@$(PYTHON) bench/run.py $(BENCH_ARGS)

pg-start:
	@tools/pg.sh start

pg-stop:
	@tools/pg.sh stop

demo-reset:
	@$(PYTHON) tools/devenv.py drop-db $${BREAKFIX_DEMO_DB:-breakfix_demo}

clean: pg-stop
	rm -rf .local build dist *.egg-info
