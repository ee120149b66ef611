# The two commands of the README: `make run` and `make test`.
.PHONY: setup setup-dev run test lint bench browser-deps

setup:
	scripts/setup.sh

setup-dev:
	scripts/setup.sh dev

run: setup
	.venv/bin/karstsim run --scenario plan14 --grid province --out results/plan14

test: setup-dev
	.venv/bin/ruff check karstsim tests benchmarks
	.venv/bin/ruff format --check karstsim tests benchmarks
	.venv/bin/python -m pytest

bench: setup
	.venv/bin/karstsim bench

# What the browser tests and the Chinese-font test need (Debian, as root); without them
# `make test` skips just those tests and names them in one line.
browser-deps:
	apt-get install -y chromium fonts-wqy-zenhei
