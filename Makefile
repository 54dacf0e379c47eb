# The two commands the README promises: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint bench bench-national bench-load clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The development mode is asked for here: without TIDTAM_DEBUG=1 tidtam runs as
# production (docs/deploy.md).
run: install
	TIDTAM_DEBUG=1 $(BIN)/tidtam init --demo
	@echo "เปิด http://127.0.0.1:8000 แล้วเข้าสู่ระบบด้วยบัญชีทดลองข้างต้น"
	@echo "งานเบื้องหลัง (tidtam worker) ทำงานคู่กัน อีเมลแจ้งเตือนพิมพ์ออกทางหน้าจอนี้"
	TIDTAM_DEBUG=1 $(BIN)/tidtam worker --verbosity 0 & trap 'kill $$!' EXIT INT TERM; \
		TIDTAM_DEBUG=1 $(BIN)/tidtam runserver 127.0.0.1:8000

# Every test on SQLite, then again on PostgreSQL when TIDTAM_PG_URL names one
# (.ci/run starts a server and sets it; under TIDTAM_CI=1 it is required).
test: install
	$(BIN)/ruff check tidtam tests bench
	$(BIN)/mypy tidtam
	$(BIN)/python -m pytest
	@if [ -n "$$TIDTAM_PG_URL" ]; then \
		echo "=== the same tests on PostgreSQL ==="; \
		DATABASE_URL="$$TIDTAM_PG_URL" $(BIN)/python -m pytest; \
	elif [ "$$TIDTAM_CI" = "1" ]; then \
		echo "TIDTAM_CI=1 but TIDTAM_PG_URL is not set: the PostgreSQL run cannot be skipped"; exit 1; \
	else \
		echo "(TIDTAM_PG_URL not set: PostgreSQL run skipped outside CI)"; \
	fi

lint: install
	$(BIN)/ruff check tidtam tests bench
	$(BIN)/mypy tidtam

bench: install
	$(BIN)/python bench/run.py

# The national-scale benchmarks (several minutes: they build a synthetic country).
bench-national: install
	$(BIN)/python bench/analytics_aggregate.py
	$(BIN)/python bench/analytics_sheets.py
	$(BIN)/python bench/analytics_pages.py
	$(BIN)/python bench/analytics_synthesis.py

# 50 simulated users on the entry page and the dashboard, then the deadline day
# (245 offices saving at once for 5 minutes): PostgreSQL, gunicorn, locust.
bench-load: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/analytics_load.py
	$(BIN)/python bench/analytics_load.py --scenario deadline

clean:
	rm -rf $(VENV) data .pytest_cache
