#!/usr/bin/env bash
# ch_cluster.sh - a ClickHouse cluster of N shards (one server process
# each) on loopback, for the tests and the benchmark.
#
#   ch_cluster.sh start DIR [N]   start N (default 2) servers; prints the URL
#   ch_cluster.sh stop DIR        stop them (SIGTERM, then SIGKILL)
#   ch_cluster.sh kill DIR I      SIGKILL server I (1-based): a shard down
#   ch_cluster.sh restart DIR I   start server I again
#
# Server I listens on 127.0.0.(I+1) only, on ports chosen from the process
# id so that parallel test runs do not meet. Every server has the same HTTP
# port, as on a real cluster; its data, logs and config are under DIR/sI.
# The cluster is named "tt" in every server's remote_servers. The password
# of user "default" is DIR/password (also TRAILTRIM_CLICKHOUSE_PASSWORD of
# the tests). Every server also serves HTTPS on the port in DIR/https_port,
# with a certificate for its address signed by the CA in DIR/ca.pem.
set -euo pipefail
cmd=${1:?usage: ch_cluster.sh start|stop|kill|restart DIR [N|I]}
dir=${2:?usage: ch_cluster.sh start|stop|kill|restart DIR [N|I]}
server=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)

write_config() { # I N HTTP TCP INTER
    local i=$1 n=$2 http=$3 tcp=$4 inter=$5 d="$dir/s$1" shards="" j
    for j in $(seq 1 "$n"); do
        shards+="<shard><replica><host>127.0.0.$((j + 1))</host><port>$tcp</port>"
        shards+="<user>default</user><password>$(cat "$dir/password")</password></replica></shard>"
    done
    mkdir -p "$d/data" "$d/tmp" "$d/log" "$d/user_files"
    make_cert "$i"
    cat >"$d/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$d/log/server.log</log><errorlog>$d/log/error.log</errorlog><size>10M</size><count>2</count></logger>
  <listen_host>127.0.0.$((i + 1))</listen_host>
  <http_port>$http</http_port>
  <tcp_port>$tcp</tcp_port>
  <interserver_http_port>$inter</interserver_http_port>
  <https_port>$((http + 3))</https_port>
  <openSSL><server><certificateFile>$d/cert.pem</certificateFile><privateKeyFile>$d/key.pem</privateKeyFile>
    <verificationMode>none</verificationMode><loadDefaultCAFile>false</loadDefaultCAFile>
    <cacheSessions>true</cacheSessions><disableProtocols>sslv2,sslv3</disableProtocols>
    <preferServerCiphers>true</preferServerCiphers></server></openSSL>
  <interserver_http_host>127.0.0.$((i + 1))</interserver_http_host>
  <path>$d/data/</path>
  <tmp_path>$d/tmp/</tmp_path>
  <user_files_path>$d/user_files/</user_files_path>
  <users_config>$d/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <remote_servers><tt>$shards</tt></remote_servers>
</yandex>
EOF
    cat >"$d/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage><load_balancing>in_order</load_balancing></default></profiles>
  <users><default>
    <password_sha256_hex>$(printf '%s' "$(cat "$dir/password")" | sha256sum | cut -d' ' -f1)</password_sha256_hex>
    <networks><ip>127.0.0.0/8</ip></networks>
    <profile>default</profile><quota>default</quota>
  </default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
}

make_ca() {
    [ -s "$dir/ca.pem" ] && return 0
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=trailtrim test CA" \
        -keyout "$dir/ca.key" -out "$dir/ca.pem" >/dev/null 2>&1
}

make_cert() { # I: a certificate for 127.0.0.(I+1), signed by the test CA
    local i=$1 d="$dir/s$1"
    [ -s "$d/cert.pem" ] && return 0
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.$((i + 1))" \
        -keyout "$d/key.pem" -out "$d/req.pem" >/dev/null 2>&1
    printf 'subjectAltName=IP:127.0.0.%d\n' $((i + 1)) >"$d/san.ext"
    openssl x509 -req -in "$d/req.pem" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
        -days 2 -extfile "$d/san.ext" -out "$d/cert.pem" >/dev/null 2>&1
}

start_one() { # I
    local i=$1 d="$dir/s$1"
    (cd "$d" && exec "$server" --config-file="$d/config.xml" >"$d/log/stdout.log" 2>&1) &
    echo $! >"$d/pid"
}

wait_up() { # I
    local i=$1 http
    http=$(cat "$dir/http_port")
    for _ in $(seq 1 300); do
        if curl -sf -u "default:$(cat "$dir/password")" "http://127.0.0.$((i + 1)):$http/?query=SELECT%201" >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$(cat "$dir/s$i/pid")" 2>/dev/null || break
        sleep 0.1
    done
    echo "ch_cluster: server $i did not start; its log:" >&2
    tail -20 "$dir/s$i/log/stdout.log" "$dir/s$i/log/error.log" >&2 2>/dev/null || true
    return 1
}

case $cmd in
start)
    n=${3:-2}
    mkdir -p "$dir"
    [ -s "$dir/password" ] || head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/password"
    base=$((20000 + ($$ % 400) * 100))
    echo "$base" >"$dir/http_port"
    echo $((base + 3)) >"$dir/https_port"
    make_ca
    echo "$n" >"$dir/n"
    for i in $(seq 1 "$n"); do
        write_config "$i" "$n" "$base" $((base + 1)) $((base + 2))
        start_one "$i"
    done
    for i in $(seq 1 "$n"); do wait_up "$i"; done
    echo "clickhouse://default@127.0.0.2:$base/tt?cluster=tt"
    ;;
stop)
    [ -f "$dir/n" ] || exit 0
    for i in $(seq 1 "$(cat "$dir/n")"); do
        p=$(cat "$dir/s$i/pid" 2>/dev/null || true)
        [ -n "$p" ] && kill "$p" 2>/dev/null || true
    done
    for i in $(seq 1 "$(cat "$dir/n")"); do
        p=$(cat "$dir/s$i/pid" 2>/dev/null || true)
        [ -n "$p" ] || continue
        for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null || true
        rm -f "$dir/s$i/pid"
    done
    ;;
kill)
    i=${3:?server number}
    kill -9 "$(cat "$dir/s$i/pid")" 2>/dev/null || true
    sleep 0.2
    ;;
restart)
    i=${3:?server number}
    start_one "$i"
    wait_up "$i"
    ;;
*)
    echo "ch_cluster: unknown command $cmd" >&2
    exit 2
    ;;
esac
