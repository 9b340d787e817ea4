#!/usr/bin/env bash
# The measurements behind docs/PERFORMANCE.md, in the order they were run. Loopback only, each
# run bounded in connections, devices and time (about an hour in all). Build first:
#   mvn -q -DskipTests package
# The devices runs start a private Mosquitto (Debian's mosquitto) on free ports of their own.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=thingpush-bench/target/thingpush-bench.jar
OUT=${OUT:-docs/bench-results}
bench() { java -Xmx3g -jar "$JAR" "$@" --out "$OUT"; }

# Saturated fan-out and latency at fixed loads, 1,000 and 10,000 connections, against the baseline.
bench run --label fanout-1k --connections 1000 --mix project --loads max,10%,25%,50% --repeat 3
bench run --label fanout-10k --connections 10000 --mix project --loads max,10%,25%,50% --repeat 2
# Narrow fan-out: 10,000 events/s, each to one connection.
bench run --label narrow-10k --connections 10000 --mix property --loads 10000 --repeat 2
# Slow clients: the same fixed load with no and with 1% non-reading clients, interleaved.
for i in 1 2; do
  bench run --label healthy --servers thingpush --connections 1000 --mix project --loads 20
  bench run --label stalled-1pct --servers thingpush --connections 1000 --mix project --loads 20 --stalled 1
done
# permessage-deflate: CPU per delivery with and without it, same load.
bench run --label plain --servers thingpush --connections 1000 --mix project --loads 20
bench run --label deflate --servers thingpush --connections 1000 --mix project --loads 20 --deflate
# Idle connections: heap and RSS per connection at the largest count this machine allows.
bench run --label idle-19k --connections 19000 --mix property --loads none
# Devices to apps, end to end: ThingPush's endpoint, Mosquitto bridged into ThingPush, Mosquitto alone.
# Ingest (one app) and fan-out (100 apps, each subscribed to every device).
bench devices --label devices-ingest --devices 1000 --apps 1 --loads max,2000
bench devices --label devices-fanout --devices 1000 --apps 100 --loads max,500,1500
# The publish API under keep-alive load: flat out, then at half of that.
bench publish --label publish --connections 32 --apps 1 --loads max,50%
# Garbage collectors: p99 at fixed loads, each collector in turn, three times over.
for i in 1 2 3; do
  for gc in "-Xmx2g" "-Xms2g -Xmx2g -XX:+UseG1GC -XX:MaxGCPauseMillis=10 -XX:+AlwaysPreTouch" \
      "-Xms2g -Xmx2g -XX:+UseZGC -XX:+AlwaysPreTouch" "-Xms2g -Xmx2g -XX:+UseShenandoahGC -XX:+AlwaysPreTouch"; do
    bench run --label gc --servers thingpush --connections 1000 --mix project --loads 10,25,50 --server-jvm "$gc"
  done
done
# JMH: match cost against the number of subscriptions; encodings per event against recipients.
java -jar "$JAR" jmh SubscriptionMatch EncodeOnce -rf json -rff "$OUT/jmh.json" | tee "$OUT/jmh.txt"
# JMH: subscription filter evaluations per second and compile time per filter.
java -jar "$JAR" jmh Filter -rf json -rff "$OUT/jmh-filter.json" | tee "$OUT/jmh-filter.txt"
