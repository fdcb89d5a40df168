# The two commands of the README, and the pieces they are made of.
export PATH := $(HOME)/.cargo/bin:$(PATH)
export CARGO_TARGET_DIR ?= $(HOME)/.cache/cpaas/target

.PHONY: run test setup web openapi lint fmt

## make run: install what is missing, build the SPA, serve everything at http://127.0.0.1:8080
run: setup web
	cargo build --release --locked -p cpaas-api --bin cpaas
	$(CARGO_TARGET_DIR)/release/cpaas demo
	$(CARGO_TARGET_DIR)/release/cpaas serve

## make test: every suite (unit, API on SQLite and PostgreSQL, browser in headless Chromium)
test:
	scripts/test.sh

setup:
	scripts/setup.sh

web:
	scripts/web-build.sh

## regenerate the committed OpenAPI document after an API change
openapi:
	cargo run -q --locked -p cpaas-api --bin cpaas -- openapi > openapi/openapi.json

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

fmt:
	cargo fmt --all
