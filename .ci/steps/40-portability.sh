# Portability: portability/CodeGenLstm.PortabilityCheck (vector kernels against scalar kernels and a double-precision
# reference) on ARM64 under qemu, where the kernels run NEON through Vector128, and on x64 on each path.
# Sourced by .ci/run after lib.sh; it defines portability_* functions and PORTABILITY_* variables only, never
# exits, and leaves the working directory as it found it. See docs/portability.md.

PORTABILITY_START=$(date +%s)
PORTABILITY_PROJECT=portability/CodeGenLstm.PortabilityCheck
PORTABILITY_OUT="$CI_RESULTS/portability"
PORTABILITY_ARM64_DIR="$PORTABILITY_OUT/linux-arm64"
PORTABILITY_X64_DLL="$PORTABILITY_PROJECT/bin/Release/net10.0/CodeGenLstm.PortabilityCheck.dll"
PORTABILITY_PACKAGES=(qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross)
PORTABILITY_SYSROOT=/usr/aarch64-linux-gnu
# A run takes ~10 s under qemu and ~1 s on x64; the cap only keeps a hang from eating CI's 90 minutes.
PORTABILITY_TIMEOUT=600
rm -rf "$PORTABILITY_OUT"; mkdir -p "$PORTABILITY_OUT"

portability_installed() {
  local package
  for package in "${PORTABILITY_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$' || return 1
  done
}

# The emulator and the ARM64 C runtime the self-contained app loads (through QEMU_LD_PREFIX). CI installs them
# with apt-get; a developer's run only checks that they are there. Missing tools fail here and in the runs.
portability_install() {
  if [ "${CI:-}" = "true" ]; then
    if [ "$(id -u)" -ne 0 ]; then echo "not root: cannot apt-get install ${PORTABILITY_PACKAGES[*]}"; return 1; fi
    if ! command -v apt-get >/dev/null; then echo "no apt-get: cannot install ${PORTABILITY_PACKAGES[*]}"; return 1; fi
    if portability_installed; then
      echo "already installed: ${PORTABILITY_PACKAGES[*]}"
    else
      # Try with the package lists as they are (.ci/run refreshed them); refresh once if that fails.
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PORTABILITY_PACKAGES[@]}" >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PORTABILITY_PACKAGES[@]}" >/dev/null; } \
        || { echo "apt-get install ${PORTABILITY_PACKAGES[*]} failed"; return 1; }
    fi
  else
    echo "CI is not true: not installing; checking for ${PORTABILITY_PACKAGES[*]}"
  fi
  local ok=0 lib
  command -v qemu-aarch64-static >/dev/null || { echo "qemu-aarch64-static is missing (apt-get install qemu-user-static)"; ok=1; }
  for lib in ld-linux-aarch64.so.1 libc.so.6 libm.so.6 libstdc++.so.6 libgcc_s.so.1; do
    [ -e "$PORTABILITY_SYSROOT/lib/$lib" ] || { echo "$PORTABILITY_SYSROOT/lib/$lib is missing (apt-get install ${PORTABILITY_PACKAGES[*]:1})"; ok=1; }
  done
  [ "$ok" -eq 0 ] && qemu-aarch64-static --version | head -1
  return "$ok"
}

# Runs a command and prints how long it took.
portability_timed() {
  local begin=$(date +%s) status
  "$@"
  status=$?
  echo "($(( $(date +%s) - begin )) s)"
  return "$status"
}

# Runs the check, prints and keeps its output, and passes when its exit code is the expected one.
# portability_run LOG EXPECTED_EXIT COMMAND...
portability_run() {
  local log="$PORTABILITY_OUT/$1.log" expected="$2"; shift 2
  local begin=$(date +%s) status
  timeout "$PORTABILITY_TIMEOUT" "$@" > "$log" 2>&1
  status=$?
  cat "$log"
  echo "(exit code $status, expected $expected; $(( $(date +%s) - begin )) s)"
  [ "$status" -eq "$expected" ]
}

portability_arm64() {
  if [ ! -x "$PORTABILITY_ARM64_DIR/CodeGenLstm.PortabilityCheck" ]; then echo "no linux-arm64 build to run"; return 1; fi
  portability_run "$@"
}

# The same seed must give the same weights on every machine (the generated constructor promises it):
# the x64 and ARM64 runs print a digest of the initial weights of all their models.
portability_same_weights() {
  local x64 arm64
  x64=$(grep -h '^weights digest' "$PORTABILITY_OUT/x64-default.log" 2>/dev/null)
  arm64=$(grep -h '^weights digest' "$PORTABILITY_OUT/arm64-default.log" 2>/dev/null)
  echo "x64:   ${x64:-none}"
  echo "ARM64: ${arm64:-none}"
  [ -n "$x64" ] && [ "$x64" = "$arm64" ]
}

# x64 first: in .ci/run the solution build has already built the check for x64, so this build is a no-op;
# the linux-arm64 publish below restores the project for that RID and would make it a rebuild.
# x64: the widest path this machine accelerates, the 128-bit path NEON shares, and the scalar path.
ci_check "portability: build the check for x64" portability_timed dotnet build "$PORTABILITY_PROJECT" -c Release -nologo -v quiet
ci_check "portability: x64, the path Simd.ActivePath names (not Scalar)" \
  portability_run x64-default 0 dotnet "$PORTABILITY_X64_DLL"
# Vector128 two ways: without FMA (DOTNET_EnableAVX2=0 turns it off too) and with FMA, as NEON has it.
ci_check "portability: x64, DOTNET_EnableAVX2=0, expect Vector128 (no FMA)" \
  portability_run x64-vector128 0 env DOTNET_EnableAVX2=0 dotnet "$PORTABILITY_X64_DLL" --expect Vector128
ci_check "portability: x64, DOTNET_PreferredVectorBitWidth=128, expect Vector128 (FMA)" \
  portability_run x64-vector128-fma 0 env DOTNET_PreferredVectorBitWidth=128 dotnet "$PORTABILITY_X64_DLL" --expect Vector128
ci_check "portability: x64, DOTNET_EnableHWIntrinsic=0, expect Scalar" \
  portability_run x64-scalar 0 env DOTNET_EnableHWIntrinsic=0 dotnet "$PORTABILITY_X64_DLL" --expect Scalar
# The check of the check: one weight of each vector-kernel model nudged, the run must report mismatches (exit 1).
ci_check "portability: x64, --perturb must fail with exit code 1" \
  portability_run x64-perturbed 1 dotnet "$PORTABILITY_X64_DLL" --perturb

ci_check "portability: qemu-user-static and the arm64 cross libraries" portability_timed portability_install

ci_check "portability: publish the check for linux-arm64 (self-contained, InvariantGlobalization)" \
  portability_timed dotnet publish "$PORTABILITY_PROJECT" -c Release -r linux-arm64 --self-contained \
    -p:InvariantGlobalization=true -o "$PORTABILITY_ARM64_DIR" -nologo -v quiet

# ARM64: NEON through Vector128. Once as a short program runs (tiered JIT: the kernels mostly run tier-0 code),
# once fully optimised from the first call (the code hot loops of a real training run end up in).
# qemu's default CPU for user mode ("max") has the dot-product extension: the int8 kernels run sdot (Dp).
ci_check "portability: ARM64 (qemu), expect Vector128 with AdvSimd, int8 through Dp (sdot)" \
  portability_arm64 arm64-default 0 env QEMU_LD_PREFIX="$PORTABILITY_SYSROOT" \
    qemu-aarch64-static "$PORTABILITY_ARM64_DIR/CodeGenLstm.PortabilityCheck" --expect Vector128 --expect-int8 Dp
ci_check "portability: ARM64 (qemu), DOTNET_TieredCompilation=0, expect Vector128, int8 through Dp" \
  portability_arm64 arm64-tc0 0 env QEMU_LD_PREFIX="$PORTABILITY_SYSROOT" DOTNET_TieredCompilation=0 \
    qemu-aarch64-static "$PORTABILITY_ARM64_DIR/CodeGenLstm.PortabilityCheck" --expect Vector128 --expect-int8 Dp
# An ARMv8.0 core without the dot-product extension (Cortex-A72, as a Raspberry Pi 4): the int8 kernels fall back to
# NEON's widening multiply (AdvSimd) and must give the same bits.
ci_check "portability: ARM64 (qemu, QEMU_CPU=cortex-a72: no dot product), expect int8 through AdvSimd" \
  portability_arm64 arm64-nodotprod 0 env QEMU_LD_PREFIX="$PORTABILITY_SYSROOT" QEMU_CPU=cortex-a72 \
    qemu-aarch64-static "$PORTABILITY_ARM64_DIR/CodeGenLstm.PortabilityCheck" --expect Vector128 --expect-int8 AdvSimd

ci_check "portability: same seed, same weights on x64 and ARM64" portability_same_weights

echo "portability step took $(( $(date +%s) - PORTABILITY_START )) s"
