#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# hvlite-run's host-side unit tests: the pure parts built for the build machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${HVLITE_BUILD:-$here/../../../build}/hvlite-run
mkdir -p "$out"
${HOSTCC:-cc} -O2 -Wall -Wextra -Werror -o "$out/image_test" "$here/image_test.c" "$here/../image.c"
"$out/image_test"
