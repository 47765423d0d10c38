#!/usr/bin/env bash
# A real local Flink 2.2 session cluster without a Flink distribution: one JobManager
# (StandaloneSessionClusterEntrypoint) and N TaskManagers (TaskManagerRunner), each its own JVM,
# on a classpath resolved from Maven Central (cluster/pom.xml). Memory settings come from
# BashJavaUtils GET_JM/TM_RESOURCE_PARAMS, exactly as Flink's bin/jobmanager.sh and
# bin/taskmanager.sh compute them.
#
#   flink-conf/cluster.sh start [N] [-D key=value ...]   # N TaskManagers (default 1)
#   flink-conf/cluster.sh stop
#   flink-conf/cluster.sh status
#   flink-conf/cluster.sh taskmanager start         # one more TaskManager (next number, never reused)
#   flink-conf/cluster.sh taskmanager stop|kill ID  # stop one, or kill -9 it (fault drills)
#   flink-conf/cluster.sh taskmanager list          # ID, pid and state of each TaskManager
#
# Environment:
#   FRAMEFLOW_CLUSTER_DIR  run dir: pids, logs, checkpoints, savepoints, uploaded jars, tmp
#                          (default <project>/run/cluster)
#   FLINK_CONF_DIR         config dir (default: this script's dir, i.e. flink-conf/)
#   FLINK_CLASSPATH        use this classpath instead of resolving cluster/pom.xml with Maven
#   JAVA_HOME              the JDK to run (default: java on PATH)
#   FRAMEFLOW_START_TIMEOUT  seconds to wait for the REST API and each TaskManager (default 120)
#
# Users with a Flink 2.2 distribution do not need this script:
#   FLINK_CONF_DIR=$PWD/flink-conf $FLINK_HOME/bin/start-cluster.sh
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
CONF_DIR="$(cd "${FLINK_CONF_DIR:-$SCRIPT_DIR}" && pwd)"
RUN_DIR="${FRAMEFLOW_CLUSTER_DIR:-$PROJECT_DIR/run/cluster}"
START_TIMEOUT="${FRAMEFLOW_START_TIMEOUT:-120}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
UTILS_CLASS=org.apache.flink.runtime.util.bash.BashJavaUtils
RESULT_PREFIX=BASH_JAVA_UTILS_EXEC_RESULT:

die() {
    echo "cluster.sh: $*" >&2
    exit 1
}

usage() {
    sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

# The classpath: FLINK_CLASSPATH, else cluster/pom.xml resolved once (offline first) and cached.
classpath() {
    if [[ -n "${FLINK_CLASSPATH:-}" ]]; then
        echo "$FLINK_CLASSPATH"
        return
    fi
    local cache="$RUN_DIR/classpath.txt" pom="$PROJECT_DIR/cluster/pom.xml"
    if [[ ! -s "$cache" || "$pom" -nt "$cache" ]]; then
        command -v mvn >/dev/null || die "mvn not found: install Maven or set FLINK_CLASSPATH"
        mkdir -p "$RUN_DIR"
        local args=(-B -q -f "$pom" dependency:build-classpath -DincludeScope=runtime
            "-Dmdep.outputFile=$cache")
        mvn -o "${args[@]}" >"$RUN_DIR/classpath.mvn.log" 2>&1 ||
            mvn "${args[@]}" >>"$RUN_DIR/classpath.mvn.log" 2>&1 ||
            die "could not resolve the Flink classpath from $pom; see $RUN_DIR/classpath.mvn.log"
    fi
    cat "$cache"
}

# Runs BashJavaUtils and prints its result lines without the prefix; fails with its log otherwise.
bash_java_utils() {
    local out
    if ! out="$("$JAVA" -cp "$CP" "$UTILS_CLASS" "$@" 2>&1)"; then
        echo "$out" >&2
        die "BashJavaUtils $1 failed (config in $CONF_DIR)"
    fi
    grep "^$RESULT_PREFIX" <<<"$out" | sed "s/^$RESULT_PREFIX//"
}

# Value of a key in the effective configuration (config.yaml + dynamic properties), unquoted.
config_value() {
    local key="$1" default="$2" line
    line="$(grep -F "$key: " <<<"$EFFECTIVE_CONFIG" | grep "^$key: " | tail -n 1 || true)"
    if [[ -z "$line" ]]; then
        echo "$default"
        return
    fi
    line="${line#"$key: "}"
    line="${line#\'}"
    line="${line%\'}"
    echo "$line"
}

pid_files() {
    compgen -G "$RUN_DIR/pids/*.pid" || true
}

alive() {
    kill -0 "$1" 2>/dev/null
}

# The REST URL of the running cluster (written at start, with the caller's -D applied).
rest_url() {
    cat "$RUN_DIR/rest.url" 2>/dev/null || echo "http://localhost:8081"
}

# Number of registered TaskManagers, or -1 while the REST API does not answer.
registered_taskmanagers() {
    local body
    body="$(curl -fsS --max-time 5 "$(rest_url)/taskmanagers" 2>/dev/null)" || {
        echo -1
        return
    }
    grep -o '"id":' <<<"$body" | wc -l | tr -d ' '
}

wait_for() {
    local what="$1" pid="$2" log="$3"
    shift 3
    local deadline=$((SECONDS + START_TIMEOUT))
    until "$@"; do
        alive "$pid" || die "$what (pid $pid) exited during start-up; see $log and ${log%.log}.out"
        ((SECONDS < deadline)) || die "$what not ready after ${START_TIMEOUT}s; see $log"
        sleep 1
    done
}

rest_up() {
    [[ "$(registered_taskmanagers)" -ge 0 ]]
}

tms_registered() {
    [[ "$(registered_taskmanagers)" -ge "$1" ]]
}

# Starts one JVM in the background; records its pid. $1 name, $2 jvm params, rest: main + args.
launch() {
    local name="$1" jvm_params="$2" extra_opts="$3"
    shift 3
    local log="$RUN_DIR/log/$name.log"
    # Word splitting of the JVM options is intended (as in Flink's flink-daemon.sh).
    # shellcheck disable=SC2086
    nohup "$JAVA" $jvm_params $JAVA_OPTS_ALL $extra_opts \
        "-Dlog.file=$log" \
        "-Dlog4j.configurationFile=file:$CONF_DIR/log4j.properties" \
        -cp "$CP" "$@" >"$RUN_DIR/log/$name.out" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/pids/$name.pid"
    echo $!
}

start() {
    local n=1
    if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then
        n="$1"
        shift
    fi
    ((n >= 1)) || die "need at least one TaskManager"
    local pf
    for pf in $(pid_files); do
        if alive "$(cat "$pf")"; then
            die "already running ($pf); run: $0 stop"
        fi
    done
    command -v curl >/dev/null || die "curl not found (used to wait for the REST API)"
    rm -rf "$RUN_DIR/pids"
    mkdir -p "$RUN_DIR"/{pids,log,checkpoints,savepoints,upload,tmp}
    RUN_DIR="$(cd "$RUN_DIR" && pwd)"

    # Per-run locations first, the caller's -D last (later dynamic properties win).
    DYNAMIC=(-D "execution.checkpointing.dir=file://$RUN_DIR/checkpoints"
        -D "execution.checkpointing.savepoint-dir=file://$RUN_DIR/savepoints"
        -D "web.upload.dir=$RUN_DIR/upload"
        -D "io.tmp.dirs=$RUN_DIR/tmp"
        "$@")

    # Kept for `taskmanager start`, which must join the same cluster with the same settings.
    printf '%s\0' "${DYNAMIC[@]}" >"$RUN_DIR/dynamic.args"
    load_config
    echo "http://$(config_value rest.address localhost):$(config_value rest.port 8081)" >"$RUN_DIR/rest.url"

    local jm_params jm_jvm jm_dyn
    jm_params="$(bash_java_utils GET_JM_RESOURCE_PARAMS --configDir "$CONF_DIR" "${DYNAMIC[@]}")"
    jm_jvm="$(head -n 1 <<<"$jm_params")"
    jm_dyn="$(tail -n 1 <<<"$jm_params")"
    local pid
    # shellcheck disable=SC2086
    pid="$(launch jobmanager "$jm_jvm" "$(config_value env.java.opts.jobmanager "")" \
        "$JM_CLASS" --configDir "$CONF_DIR" "${DYNAMIC[@]}" $jm_dyn)"
    echo "JobManager   pid $pid  log $RUN_DIR/log/jobmanager.log"
    wait_for "JobManager" "$pid" "$RUN_DIR/log/jobmanager.log" rest_up

    # One TaskManager at a time, each after the previous registered: the Prometheus reporter's
    # port range is then handed out in order (JobManager 9249, TaskManager i 9249+i).
    local i
    echo "$n" >"$RUN_DIR/taskmanagers.started"
    for ((i = 1; i <= n; i++)); do
        launch_taskmanager "$i"
    done
    echo "Flink web UI and REST API: $(rest_url)  ($n TaskManager(s) registered)"
    echo "Prometheus metrics: JobManager and TaskManagers on ports $(config_value metrics.reporter.prom.port 9249) (in start order)"
}

# CP, EFFECTIVE_CONFIG and JAVA_OPTS_ALL for the config dir and the DYNAMIC properties.
load_config() {
    CP="$(classpath)"
    EFFECTIVE_CONFIG="$(bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION --configDir "$CONF_DIR" "${DYNAMIC[@]}" -flatten)"
    JAVA_OPTS_ALL="$(config_value env.java.opts.all "")"
}

# REST lists a TaskManager with this resource id.
tm_registered_as() {
    curl -fsS --max-time 5 "$(rest_url)/taskmanagers" 2>/dev/null | grep -qF "\"id\":\"$1\""
}

# Starts TaskManager number $1 (resource id taskmanager-$1) and waits until it registered.
launch_taskmanager() {
    local i="$1" name="taskmanager-$1" tm_params tm_jvm tm_dyn pid
    tm_params="$(bash_java_utils GET_TM_RESOURCE_PARAMS --configDir "$CONF_DIR" "${DYNAMIC[@]}")"
    tm_jvm="$(head -n 1 <<<"$tm_params")"
    tm_dyn="$(tail -n 1 <<<"$tm_params")"
    # shellcheck disable=SC2086
    pid="$(launch "$name" "$tm_jvm" "$(config_value env.java.opts.taskmanager "")" \
        "$TM_CLASS" --configDir "$CONF_DIR" "${DYNAMIC[@]}" \
        -D "taskmanager.resource-id=$name" $tm_dyn)"
    echo "TaskManager $i pid $pid  log $RUN_DIR/log/$name.log"
    wait_for "TaskManager $i" "$pid" "$RUN_DIR/log/$name.log" tm_registered_as "$name"
}

# taskmanager start|stop ID|kill ID|list: one TaskManager of the running cluster.
taskmanager() {
    local action="${1:-}" id="${2:-}"
    [[ -s "$RUN_DIR/dynamic.args" ]] || die "no cluster started in $RUN_DIR; run: $0 start"
    RUN_DIR="$(cd "$RUN_DIR" && pwd)"
    case "$action" in
        start)
            alive "$(cat "$RUN_DIR/pids/jobmanager.pid" 2>/dev/null || echo 0)" ||
                die "the JobManager is not running; run: $0 start"
            mapfile -d '' DYNAMIC <"$RUN_DIR/dynamic.args"
            load_config
            # Never reuse a number: a new process gets a new resource id, as on a real host.
            local n
            n=$(($(cat "$RUN_DIR/taskmanagers.started" 2>/dev/null || echo 0) + 1))
            echo "$n" >"$RUN_DIR/taskmanagers.started"
            launch_taskmanager "$n"
            ;;
        stop | kill)
            [[ "$id" =~ ^[0-9]+$ ]] && id="taskmanager-$id"
            [[ "$id" =~ ^taskmanager-[0-9]+$ ]] || die "usage: $0 taskmanager $action ID (e.g. 2 or taskmanager-2)"
            local pf="$RUN_DIR/pids/$id.pid" pid
            [[ -f "$pf" ]] || die "no pid file $pf"
            pid="$(cat "$pf")"
            alive "$pid" || die "$id (pid $pid) is not running"
            if [[ "$action" == kill ]]; then
                kill -9 "$pid"
                echo "killed $id (pid $pid) with SIGKILL"
            else
                kill "$pid"
                local deadline=$((SECONDS + 30))
                while alive "$pid" && ((SECONDS < deadline)); do sleep 0.5; done
                alive "$pid" && kill -9 "$pid"
                echo "stopped $id (pid $pid)"
            fi
            while alive "$pid"; do sleep 0.1; done
            rm -f "$pf"
            ;;
        list)
            local pf pid
            for pf in $(compgen -G "$RUN_DIR/pids/taskmanager-*.pid" || true); do
                pid="$(cat "$pf")"
                if alive "$pid"; then
                    echo "$(basename "$pf" .pid) $pid running"
                else
                    echo "$(basename "$pf" .pid) $pid dead"
                fi
            done
            ;;
        *) die "usage: $0 taskmanager start|stop ID|kill ID|list" ;;
    esac
}

stop() {
    local pf pid name stopped=0
    for pf in $(pid_files); do
        pid="$(cat "$pf")"
        name="$(basename "$pf" .pid)"
        if alive "$pid"; then
            kill "$pid"
            stopped=$((stopped + 1))
            echo "stopping $name (pid $pid)"
        fi
    done
    # Give them time to shut down cleanly, then force.
    local deadline=$((SECONDS + 30))
    for pf in $(pid_files); do
        pid="$(cat "$pf")"
        while alive "$pid" && ((SECONDS < deadline)); do sleep 0.5; done
        if alive "$pid"; then
            echo "killing $(basename "$pf" .pid) (pid $pid) after 30 s"
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$pf"
    done
    [[ $stopped -gt 0 ]] || echo "no cluster process running (run dir $RUN_DIR)"
}

status() {
    local pf pid running=0 total=0
    for pf in $(pid_files); do
        pid="$(cat "$pf")"
        total=$((total + 1))
        if alive "$pid"; then
            running=$((running + 1))
            echo "$(basename "$pf" .pid): running (pid $pid)"
        else
            echo "$(basename "$pf" .pid): NOT running (pid $pid; see $RUN_DIR/log/)"
        fi
    done
    if [[ $total -eq 0 ]]; then
        echo "not started (run dir $RUN_DIR)"
        return 3
    fi
    if command -v curl >/dev/null; then
        echo "REST $(rest_url): $(registered_taskmanagers) TaskManager(s) registered (-1: not answering)"
    fi
    [[ $running -eq $total ]] || return 1
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
    start) start "$@" ;;
    stop) stop ;;
    status) status ;;
    taskmanager) taskmanager "$@" ;;
    -h | --help | help) usage 0 ;;
    *) usage 2 ;;
esac
