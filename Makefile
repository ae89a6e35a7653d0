# Manage Webroot Integration (cwm-webroot). Every target installs what it lacks first
# (scripts/deps.sh): Debian packages, the frontend's npm packages, the pinned Wails CLI.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

VERSION ?= $(shell git describe --tags --match 'v*' 2>/dev/null | sed 's/^v//' || true)
ifeq ($(VERSION),)
VERSION := 0.1.0-dev
endif
COMMIT ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X cwm-webroot/backend/buildinfo.Version=$(VERSION) -X cwm-webroot/backend/buildinfo.Commit=$(COMMIT)
BIN := build/bin
WAILS := bin/wails

.PHONY: bench help demo test build build-windows build-dev frontend bindings check-bindings test-tray \
        vet test-go test-frontend test-e2e smoke test-inner clean

help:
	@echo "make demo           build and start the app on the simulated Webroot and Manage services"
	@echo "make test           every test: go vet, go test -race, frontend checks and unit tests, end-to-end, smoke"
	@echo "make build          production Linux binary in $(BIN)/cwm-webroot"
	@echo "make build-windows  Windows GUI .exe and NSIS installer in $(BIN)/ (cross-compiled with mingw)"
	@echo "make bench          sync and suggestion benchmarks against the simulators (figures: docs/benchmarks.md)"

# ---- building -------------------------------------------------------------------------------

frontend:
	scripts/deps.sh build
	cd frontend && npm run build

bindings:
	scripts/deps.sh build
	$(WAILS) generate module -tags webkit2_41

# The generated bindings are committed; a Go method added without regenerating them fails here.
check-bindings:
	scripts/deps.sh build
	rm -rf build/wailsjs-before && mkdir -p build && cp -r frontend/wailsjs build/wailsjs-before
	$(WAILS) generate module -tags webkit2_41 >/dev/null
	diff -r build/wailsjs-before frontend/wailsjs || { echo "frontend/wailsjs was stale and has been regenerated: commit it"; exit 1; }

build: frontend
	go build -tags desktop,production,webkit2_41 -ldflags "-w -s $(LDFLAGS)" -o $(BIN)/cwm-webroot .

# The dev build serves the frontend and bindings over HTTP for the browser end-to-end tests.
build-dev: frontend
	go build -tags dev,webkit2_41 -ldflags "$(LDFLAGS)" -o $(BIN)/cwm-webroot-dev .

# Bindings are generated with the host compiler first: `wails build` would try to run a
# mingw-built binary to generate them.
build-windows:
	scripts/deps.sh build windows
	$(WAILS) generate module -tags webkit2_41
	CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc $(WAILS) build -platform windows/amd64 -skipbindings -m -nosyncgomod -nsis -ldflags "$(LDFLAGS)"
	@out=$$(file $(BIN)/cwm-webroot.exe); echo "$$out"; grep -q 'PE32+ executable (GUI)' <<<"$$out"

# ---- running --------------------------------------------------------------------------------

demo: build
	scripts/deps.sh demo
	scripts/demo.sh $(BIN)/cwm-webroot

# ---- testing --------------------------------------------------------------------------------

# Everything runs inside a private D-Bus session with an unlocked throw-away keyring (unless
# the desktop session already has one) and on an X display (a private Xvfb when none).
test:
	scripts/deps.sh build test
	scripts/with-keyring.sh scripts/xvfb.sh $(MAKE) --no-print-directory test-inner

test-inner: check-bindings vet test-go test-frontend test-e2e smoke test-tray

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt -w these files: $$unformatted"; exit 1; fi
	go vet ./...
	go vet -tags binarytest ./backend/tray
	cd frontend && npm run check

test-go:
	CWM_REQUIRE_DBUS=1 go test -race -count=1 ./...

test-frontend:
	cd frontend && npm test

test-e2e: build-dev
	cd frontend && npx playwright test

smoke: build
	scripts/smoke.sh $(BIN)/cwm-webroot

# The production binary's tray on the D-Bus session: registration, menu, --autostart hidden,
# second launch shows the first, Quit from the menu.
test-tray: build
	go test -tags binarytest -count=1 ./backend/tray -run TestTrayAutostartSecondLaunchAndQuit -binary=$(abspath $(BIN)/cwm-webroot)

# Sync of 1,000 mappings / 300 changes at 100 ms latency, unthrottled and throttled to 1,000
# requests a minute (about 90 s in all), and name suggestions for 5,000 sites x 3,000 companies.
bench:
	go test -run '^$$' -bench BenchmarkSync -benchtime 1x -timeout 30m ./backend/syncer/
	go test -run '^$$' -bench BenchmarkSuggest -benchtime 5x ./backend/mapping/suggest/

clean:
	rm -rf $(BIN) build/screenshots build/e2e-results frontend/dist/assets frontend/dist/index.html
