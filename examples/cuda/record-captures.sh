#!/usr/bin/env bash
# Records, on a machine with an NVIDIA GPU and PyTorch, what Warden's GPU fakes and rule fixtures are fed: the real
# output of the nvidia-smi queries Warden makes (idle and under load, and its error for an unknown field), the real
# text of CUDA errors from this PyTorch, `warden check`/`gpu`/`health` on the machine, and a real run of this
# directory's trainer under `warden run` (CUDA OOM at batch 32, halved; a hang at step 25, stopped and resumed).
#
#   examples/cuda/record-captures.sh OUTDIR        (WARDEN=path/to/warden to pick the launcher, PYTHON=python3)
set -uo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out=$(realpath -m "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
warden=${WARDEN:-$here/../../warden}
py=${PYTHON:-python3}
mkdir -p "$out"
exits="$out/exits.txt"

# rec NAME CMD...: stdout+stderr to OUTDIR/NAME, the exit code and the command to exits.txt
rec() {
  local name=$1; shift
  timeout 120 "$@" >"$out/$name" 2>&1
  echo "$name	exit $?	$*" >>"$exits"
}

fields=index,uuid,name,pci.bus_id,driver_version,memory.total,memory.used,memory.free,temperature.gpu
fields+=,ecc.errors.uncorrected.volatile.total,retired_pages.pending,remapped_rows.pending,remapped_rows.failure
fields+=,mig.mode.current
event=$fields,clocks_event_reasons.hw_slowdown,clocks_event_reasons.hw_thermal_slowdown
event+=,clocks_event_reasons.sw_thermal_slowdown,clocks_event_reasons.hw_power_brake_slowdown
throttle=${event//clocks_event_reasons/clocks_throttle_reasons}
apps=pid,used_memory,gpu_uuid,process_name

{ date -u +%FT%TZ; uname -srm; nvidia-smi --version; "$py" -c \
  'import torch, sys; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda)'
} >"$out/versions.txt" 2>&1

rec nvsmi_table_idle.txt nvidia-smi
rec nvsmi_q_idle.txt nvidia-smi -q
rec nvsmi_qx_idle.xml nvidia-smi -q -x
rec nvsmi_query-gpu_event_idle.csv nvidia-smi --query-gpu="$event" --format=csv,noheader,nounits
rec nvsmi_query-gpu_throttle_idle.csv nvidia-smi --query-gpu="$throttle" --format=csv,noheader,nounits
rec nvsmi_query-gpu_bad-field.txt nvidia-smi --query-gpu=index,no_such.field --format=csv,noheader,nounits
rec nvsmi_query-compute-apps_idle.csv nvidia-smi --query-compute-apps="$apps" --format=csv,noheader,nounits

# Under load: one process holding a quarter of the card and multiplying matrices.
"$py" - >"$out/load.log" 2>&1 <<'EOF' &
import time, torch
hold = torch.empty(torch.cuda.get_device_properties(0).total_memory // 4, dtype=torch.uint8, device="cuda")
a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
print("holding", hold.numel(), flush=True)
end = time.time() + 60
while time.time() < end:
    for _ in range(20):
        a @ a
    torch.cuda.synchronize()
EOF
load=$!
for _ in $(seq 60); do grep -q holding "$out/load.log" && break; kill -0 $load 2>/dev/null || break; sleep 1; done
sleep 2
rec nvsmi_table_load.txt nvidia-smi
rec nvsmi_query-gpu_event_load.csv nvidia-smi --query-gpu="$event" --format=csv,noheader,nounits
rec nvsmi_query-compute-apps_load.csv nvidia-smi --query-compute-apps="$apps" --format=csv,noheader,nounits
rec warden_gpu_load.txt $warden gpu list
kill $load; wait $load 2>/dev/null

# Real CUDA error text, each from its own process.
rec torch_cuda_oom.txt "$py" -c '
import torch
torch.empty(2 * torch.cuda.get_device_properties(0).total_memory, dtype=torch.uint8, device="cuda")'
rec torch_device_side_assert.txt "$py" -c '
import torch
e = torch.nn.Embedding(10, 4).cuda()
print(e(torch.tensor([3, 12], device="cuda")).sum().item())'
rec torch_invalid_device_ordinal.txt "$py" -c '
import torch
torch.zeros(1, device="cuda:7")'
rec dmesg_tail.txt sh -c 'dmesg | tail -n 200'

# Warden itself on this machine.
work=$(mktemp -d)
cp "$here/train.py" "$here/warden.yaml" "$work/"
export WARDEN_HOME="$out/warden-home"
rec warden_gpu.txt $warden gpu list
rec warden_health.txt $warden health
rec warden_check.txt sh -c "cd '$work' && $warden check warden.yaml"
rec warden_check.json sh -c "cd '$work' && $warden check --json warden.yaml"
rec warden_run.txt sh -c "cd '$work' && $warden run warden.yaml"
rec warden_ps.txt $warden ps
rec warden_logs.txt $warden logs cuda-example
rec warden_events.txt $warden logs cuda-example --events
rec warden_incidents.txt $warden incidents
rec warden_ckpt_list.txt sh -c "cd '$work' && $warden ckpt list output"
rec nvsmi_query-compute-apps_after.csv nvidia-smi --query-compute-apps="$apps" --format=csv,noheader,nounits

# A crash that leaves a setsid'd helper holding GPU memory: first under a plain retry loop (60 s), then under Warden.
cp "$here/orphan.yaml" "$work/"
rec loop_orphan.txt timeout 60 sh -c "cd '$work' && until python3 train.py --steps 30 --batch-size 16 --output-dir loop-orphan --orphan-at-step 12; do sleep 1; done"
rec nvsmi_query-compute-apps_loop_orphan.csv nvidia-smi --query-compute-apps="$apps" --format=csv,noheader,nounits
pkill -f 'os[.]setsid[(][)]; h = torch[.]empty'; sleep 2
rec warden_run_orphan.txt sh -c "cd '$work' && $warden run orphan.yaml"
rec warden_events_orphan.txt $warden logs cuda-orphan --events
rec nvsmi_query-compute-apps_after_orphan.csv nvidia-smi --query-compute-apps="$apps" --format=csv,noheader,nounits
find "$work" -maxdepth 3 >"$out/work-tree.txt"
rm -rf "$work"
cat "$exits"
