# The two commands a newcomer needs: `make run` and `make test`. Both set up the machine
# (scripts/setup, idempotent), build, and then serve or test.
BUILD_DIR ?= build
SAN_DIR ?= build-sanitize
JOBS ?= $(shell nproc)
DATA_DIR ?= ./data
LISTEN ?= 127.0.0.1:8080

.PHONY: setup configure build run test test-unit sanitize format format-check bench clean

setup:
	@scripts/setup

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

configure: $(BUILD_DIR)/build.ninja

build: setup configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The demo (rightsdesk demo): a shop database, data sources and requests to work, set up once
# in $(DATA_DIR), then served; mail lands in $(DATA_DIR)/mail.
run: build
	$(BUILD_DIR)/rightsdesk demo --listen $(LISTEN) --data-dir $(DATA_DIR)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Only the fast unit tests (no services).
test-unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

# AddressSanitizer + UndefinedBehaviorSanitizer build: the unit and store tests, and the
# HTTP-level tests against the sanitized binary (SQLite).
sanitize: setup
	cmake -S . -B $(SAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRD_SANITIZE=ON -DRD_BUILD_BENCH=OFF
	cmake --build $(SAN_DIR) -j $(JOBS)
	cd $(SAN_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -L 'unit|integration' -LE pg

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'bench/*.cc')

format-check:
	clang-format --dry-run -Werror $$(git ls-files 'src/*.cc' 'src/*.h' 'bench/*.cc')

bench: build
	bench/run

clean:
	rm -rf $(BUILD_DIR) $(SAN_DIR)
