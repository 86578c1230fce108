#!/usr/bin/env bash
# Starts a two-rank gloo job on this host, as torchrun would (Debian's torchrun 1.13 breaks on Python 3.11):
#   bash launch2.sh python train.py ARGS...
# Like torchrun it reports the first rank that fails and ends the others; unlike torchrun it first gives the
# others 5 s to exit by themselves, so the survivors' own errors reach the log. Exits with the first failure's code.
export MASTER_ADDR=127.0.0.1 MASTER_PORT="${MASTER_PORT:-29517}" WORLD_SIZE=2
declare -A rank_of
for r in 1 0; do
  RANK=$r "$@" &
  rank_of[$!]=$r
done
first_rc=0
for _ in 1 2; do
  wait -n -p pid
  rc=$?
  if ((rc != 0 && first_rc == 0)); then
    first_rc=$rc
    echo "launch2.sh: rank ${rank_of[$pid]} (pid $pid) failed first with exit code $rc" >&2
    for _ in $(seq 50); do jobs -rp | grep -q . || break; sleep 0.1; done
    jobs -rp | xargs -r kill -TERM 2>/dev/null
  fi
done
exit $first_rc
