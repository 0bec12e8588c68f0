#!/usr/bin/env bash
# GPU check for issue 7, in two halves.
#
#   scripts/gpu-check.sh pack   (here, with .NET): publishes the benchmark trimmed and self-contained for linux-x64
#                               (ILGPU, ILGPU.Algorithms, ContrastiveNE, ContrastiveNE.Gpu kept whole by
#                               bench/ContrastiveNE.Bench/TrimmerRoots.xml), adds the Fashion-MNIST files and packs all
#                               into .device/cne-gpu.tar.xz (git-ignored), next to a copy of this script.
#   scripts/gpu-check.sh run    (on the device machine: no .NET, no network): unpacks .device/cne-gpu.tar.xz and runs
#                               nonparam-infonce, nonparam-neg, param-nce --epochs 3 and knn-exact with --device gpu
#                               on all 70,000 rows, printing the device name and one JSON line per scenario.
#   scripts/gpu-check.sh smoke  (here): runs the packed build on a small n with --device cpu, and the GPU code path on
#                               ILGPU's CPU accelerator (--device ilgpu-cpu), to check the package without a GPU.
#
# Device call: run(command="bash scripts/gpu-check.sh run", carry=[".device"], timeout_s=540).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/.device"
archive="$out/cne-gpu.tar.xz"
mode="${1:-pack}"

unpack() {
  work="${TMPDIR:-/tmp}/cne-gpu"
  rm -rf "$work" && mkdir -p "$work"
  tar -xJf "$archive" -C "$work"
  export CNE_DATA="$work/shared/data"
  bench="$work/bench/ContrastiveNE.Bench"
}

case "$mode" in
  pack)
    data="${CNE_DATA:-$root/../shared/data}"
    stage="$(mktemp -d)"
    trap 'rm -rf "$stage"' EXIT
    dotnet publish "$root/bench/ContrastiveNE.Bench/ContrastiveNE.Bench.csproj" -c Release -r linux-x64 --self-contained \
      -p:PublishTrimmed=true -p:SuppressTrimAnalysisWarnings=true -p:TreatWarningsAsErrors=false \
      -p:DebugType=none -p:GenerateDocumentationFile=false -o "$stage/bench" >&2
    mkdir -p "$stage/shared/data"
    cp "$data"/fashion-mnist-images.npy "$data"/fashion-mnist-labels.npy "$stage/shared/data/"
    mkdir -p "$out"
    tar -C "$stage" -cf - bench shared | xz -T0 -6 > "$archive"
    cp "$root/scripts/gpu-check.sh" "$out/"
    echo "packed $(du -m "$archive" | cut -f1) MiB: $archive (build alone: $(du -sm "$stage/bench" | cut -f1) MiB unpacked)"
    ;;
  run)
    export LD_LIBRARY_PATH="/usr/local/nvidia/lib64:/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    unpack
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
    threads="$(nproc)"
    status=0
    for args in "nonparam-infonce" "nonparam-neg" "param-nce --epochs 3" "knn-exact"; do
      # shellcheck disable=SC2086
      "$bench" $args --device gpu --threads "$threads" || { echo "{\"scenario\": \"${args%% *}\", \"failed\": true}"; status=1; }
    done
    exit $status
    ;;
  smoke)
    unpack
    for args in "nonparam-infonce --epochs 5" "param-nce --epochs 1" "knn-exact"; do
      # shellcheck disable=SC2086
      "$bench" $args --device cpu --n 2000 --threads 2
    done
    # The emulated GPU is slow: tiny inputs only.
    for args in "nonparam-infonce --epochs 5 --n 300" "param-nce --epochs 1 --n 50 --batch 256" "knn-exact --n 64"; do
      # shellcheck disable=SC2086
      "$bench" $args --device ilgpu-cpu --threads 2
    done
    ;;
  *)
    echo "usage: $0 pack|run|smoke" >&2
    exit 2
    ;;
esac
