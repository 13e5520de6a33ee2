#!/usr/bin/env bash
# Side-by-side benchmark of FTLPortal.Learning against PyTorch (Debian's python3-torch) and numpy/OpenBLAS.
#   bench/run.sh engine          all figures (SGEMM, MLP and CNN training on Fashion-MNIST for ours, PyTorch and TorchSharp,
#                                allocation per batch)
#   bench/run.sh sgemm           SGEMM only (no dataset needed)
#   bench/run.sh federation      aggregation vs memcpy, round overhead, secure aggregation, DP accountant (no peer, no dataset)
#   bench/run.sh jobs            Hangfire queue wait (p95 over 50 short jobs) and empty-job throughput, with Quartz's published figure
#   bench/run.sh load            the real portal process under load: 2,000 idle hub connections (memory per connection),
#                                50 fine-tuning jobs at once, peak RSS for the widest CSV allowed, p95 page time for
#                                20 simulated users; each figure with its "# bound" line
# Environment: EPOCHS (default 2), FASHION_MNIST (default /usr/share/datasets/fashion-mnist), THREADS (default 2).
# Prints one "name value" line per figure; lines starting with # are context.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-engine}"
EPOCHS="${EPOCHS:-2}"
DATA="${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
THREADS="${THREADS:-2}"
if [[ "$MODE" == "federation" || "$MODE" == "jobs" || "$MODE" == "load" ]]; then
  # load starts the portal as its own process from its Release build output.
  [[ "$MODE" != "load" ]] || dotnet build -c Release src/FTLPortal.Web/FTLPortal.Web.csproj -v q -nologo >&2
  dotnet build -c Release bench/FTLPortal.Benchmarks/FTLPortal.Benchmarks.csproj -v q -nologo >&2
  echo "# date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# cpu $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cpus"
  echo "# dotnet $(dotnet --version), runtime $(dotnet --list-runtimes | grep NETCore.App | tail -1 | cut -d' ' -f2)"
  echo "# load $(cut -d' ' -f1-3 /proc/loadavg)"
  exec env FTL_THREADS="$THREADS" DOTNET_gcServer=0 dotnet bench/FTLPortal.Benchmarks/bin/Release/net10.0/FTLPortal.Benchmarks.dll "$MODE"
fi

PACKAGES=(python3-torch python3-numpy libopenblas0-pthread)
[[ "$MODE" == "sgemm" ]] || PACKAGES+=(dataset-fashion-mnist)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]]; then
    echo "# installing ${missing[*]}" >&2
    apt-get install -y "${missing[@]}" >&2
  else
    echo "bench/run.sh needs these Debian packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

dotnet build -c Release bench/FTLPortal.Benchmarks/FTLPortal.Benchmarks.csproj -v q -nologo >&2
OURS=(env FTL_THREADS="$THREADS" DOTNET_gcServer=0 dotnet bench/FTLPortal.Benchmarks/bin/Release/net10.0/FTLPortal.Benchmarks.dll)
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be pinned on this machine for old OpenBLAS builds. Each peer runs in the
# configuration where it is fastest here (measured, see bench/README.md): numpy's SGEMM without them (OpenBLAS then picks
# its AVX-512 kernel), PyTorch training with the machine's settings (with the AVX-512 kernel it trains 3-4x slower).
# Both sides use the same thread count.
PEER_SGEMM=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS" FTL_THREADS="$THREADS" /usr/bin/python3 bench/torch_peer.py)
# TorchSharp runs in its own process (its peak resident memory is reported), with libgomp held to the same thread count.
TORCHSHARP=(env OMP_NUM_THREADS="$THREADS" FTL_THREADS="$THREADS" DOTNET_gcServer=0 dotnet bench/FTLPortal.Benchmarks/bin/Release/net10.0/FTLPortal.Benchmarks.dll)
PEER=(env OMP_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS" FTL_THREADS="$THREADS" /usr/bin/python3 bench/torch_peer.py)

echo "# date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# cpu $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cpus"
echo "# dotnet $(dotnet --version), runtime $(dotnet --list-runtimes | grep NETCore.App | tail -1 | cut -d' ' -f2)"

# Each figure runs ours then the peer back to back, so the load of the moment hits both sides of a ratio alike.
results=$(mktemp)
trap 'rm -f "$results"' EXIT
run() { "$@" | tee -a "$results"; }
run "${OURS[@]}" sgemm
run "${PEER_SGEMM[@]}" sgemm
if [[ "$MODE" != "sgemm" ]]; then
  run "${OURS[@]}" mlp "$DATA" "$EPOCHS"
  run "${PEER[@]}" mlp "$DATA" "$EPOCHS"
  run "${TORCHSHARP[@]}" torchsharp-mlp "$DATA" "$EPOCHS"
  run "${OURS[@]}" cnn "$DATA" "$EPOCHS"
  run "${PEER[@]}" cnn "$DATA" "$EPOCHS"
  run "${TORCHSHARP[@]}" torchsharp-cnn "$DATA" "$EPOCHS"
  run "${OURS[@]}" alloc "$DATA"
fi

awk '
  { v[$1] = $2 }
  function ratio(name, a, b) { if ((a in v) && (b in v) && v[b] > 0) printf "%s %.3f\n", name, v[a] / v[b] }
  function gap(name, a, b) { if ((a in v) && (b in v)) printf "%s %.2f\n", name, v[a] - v[b] }
  END {
    ratio("sgemm_1024_ratio_vs_openblas", "sgemm_1024_gflops", "openblas_sgemm_1024_gflops")
    ratio("mlp_train_ratio_vs_torch", "mlp_train_samples_per_s", "torch_mlp_train_samples_per_s")
    ratio("cnn_train_ratio_vs_torch", "cnn_train_samples_per_s", "torch_cnn_train_samples_per_s")
    gap("mlp_acc_gap_points", "mlp_test_acc", "torch_mlp_test_acc")
    gap("cnn_acc_gap_points", "cnn_test_acc", "torch_cnn_test_acc")
    ratio("mlp_train_ratio_vs_torchsharp", "mlp_train_samples_per_s", "torchsharp_mlp_train_samples_per_s")
    ratio("cnn_train_ratio_vs_torchsharp", "cnn_train_samples_per_s", "torchsharp_cnn_train_samples_per_s")
    gap("torchsharp_mlp_acc_gap_points", "torchsharp_mlp_test_acc", "torch_mlp_test_acc")
    gap("torchsharp_cnn_acc_gap_points", "torchsharp_cnn_test_acc", "torch_cnn_test_acc")
    if (("torchsharp_mlp_peak_rss_mib" in v) || ("torchsharp_cnn_peak_rss_mib" in v)) {
      peak = v["torchsharp_mlp_peak_rss_mib"] > v["torchsharp_cnn_peak_rss_mib"] ? v["torchsharp_mlp_peak_rss_mib"] : v["torchsharp_cnn_peak_rss_mib"]
      printf "torchsharp_peak_rss_mib %.1f\n", peak
    }
  }' "$results"
