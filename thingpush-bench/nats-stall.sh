#!/bin/bash
# A node whose NATS hangs: 8 publishes in flight, then a liveness check; prints when each answered.
set -u
JAR=${1:-thingpush-server/target/thingpush.jar}
DIR=$(mktemp -d)
nats-server -a 127.0.0.1 -p 14222 -js -sd "$DIR/js" >"$DIR/nats.log" 2>&1 & NATS=$!
cat >"$DIR/node.yaml" <<YAML
ws: {host: 127.0.0.1, port: 0}
http: {host: 127.0.0.1, port: 17778}
management: {host: 127.0.0.1, port: 17779}
auth: {hs256Secret: "stall-secret-of-at-least-32-bytes!!!!"}
publish: {keys: [{key: "stall-key-1"}]}
registry: {jdbcUrl: "jdbc:h2:mem:stall;DB_CLOSE_DELAY=-1", importFile: thingpush-server/src/test/resources/it/registry.json}
cluster: {natsUrl: "nats://127.0.0.1:14222", name: stall}
mqtt: {enabled: false}
YAML
java -jar "$JAR" serve -c "$DIR/node.yaml" >"$DIR/node.log" 2>&1 & NODE=$!
for i in $(seq 1 60); do curl -sf -o /dev/null http://127.0.0.1:17779/health/ready && break; sleep 1; done
kill -STOP $NATS
for i in $(seq 1 8); do
  curl -s -o /dev/null -w "publish %{http_code} after %{time_total} s\n" -H 'Authorization: Bearer stall-key-1' \
    -d '{"code":"devicePropertyReport","device":{"productID":"prodA","deviceName":"d1"},"payload":{"identifier":"temp","param":1}}' \
    http://127.0.0.1:17778/api/v1/push/publish &
done
sleep 0.2
curl -s -o /dev/null -w "health/live %{http_code} after %{time_total} s\n" http://127.0.0.1:17779/health/live
wait $(jobs -p | grep -v -e "^$NATS$" -e "^$NODE$") 2>/dev/null
kill -CONT $NATS; kill $NODE $NATS; wait 2>/dev/null; rm -rf "$DIR"
