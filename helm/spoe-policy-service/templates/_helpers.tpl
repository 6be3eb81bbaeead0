{{/* Names and labels. */}}
{{- define "spoe.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "spoe.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The headless SPOP Service; its name ends up in HAProxy's server-template. */}}
{{- define "spoe.spopServiceName" -}}
{{- printf "%s-spop" (include "spoe.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "spoe.selectorLabels" -}}
app.kubernetes.io/name: {{ include "spoe.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "spoe.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "spoe.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: spoe-agent
{{- end }}

{{- define "spoe.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "spoe.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "spoe.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Shutdown budget, in whole seconds. One source for the agent's drain (application.yml) and the
pod's timings (preStop, terminationGracePeriodSeconds); docs/kubernetes.md derives the formula.
*/}}
{{- define "spoe.drainSeconds" -}}
{{- add (int .Values.shutdown.drain.deadlineSeconds) (int .Values.shutdown.drain.lingerSeconds) }}
{{- end }}

{{/* spring.lifecycle.timeout-per-shutdown-phase: the SPOP drain must fit (DrainBudget: +1s), and
so must the web server's graceful shutdown, which runs in its own phase with the same timeout. */}}
{{- define "spoe.phaseTimeoutSeconds" -}}
{{- max (add (include "spoe.drainSeconds" . | int) 1) (int .Values.shutdown.webGracefulSeconds) }}
{{- end }}

{{- define "spoe.minGracePeriodSeconds" -}}
{{- $s := .Values.shutdown }}
{{- add (int $s.preStopSleepSeconds) (include "spoe.drainSeconds" . | int) (int $s.webGracefulSeconds) (int $s.marginSeconds) }}
{{- end }}

{{- define "spoe.gracePeriodSeconds" -}}
{{- $min := include "spoe.minGracePeriodSeconds" . | int }}
{{- $set := .Values.shutdown.terminationGracePeriodSeconds }}
{{- if kindIs "invalid" $set }}
{{- $min }}
{{- else if lt (int $set) $min }}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%d) must be at least preStopSleepSeconds + drain.deadlineSeconds + drain.lingerSeconds + webGracefulSeconds + marginSeconds = %d" (int $set) $min) }}
{{- else }}
{{- int $set }}
{{- end }}
{{- end }}

{{/* Checks the schema cannot express; included by the workload so they always run. */}}
{{- define "spoe.validate" -}}
{{- $d := .Values.shutdown.drain }}
{{- /* As SpoeServerProperties.Drain: a connection must be able to close quietly before the deadline. */}}
{{- if gt (add (mul (int $d.windowSeconds) 1000) (int $d.quietPeriodMillis)) (mul (int $d.deadlineSeconds) 1000) }}
{{- fail (printf "shutdown.drain.windowSeconds (%ds) + shutdown.drain.quietPeriodMillis (%dms) must not exceed shutdown.drain.deadlineSeconds (%ds)" (int $d.windowSeconds) (int $d.quietPeriodMillis) (int $d.deadlineSeconds)) }}
{{- end }}
{{- $ports := list (int .Values.ports.spop) (int .Values.ports.http) (int .Values.ports.management) }}
{{- if ne (len ($ports | uniq)) 3 }}
{{- fail (printf "ports.spop, ports.http and ports.management must differ (got %v)" $ports) }}
{{- end }}
{{- if and (eq .Values.kind "DaemonSet") .Values.autoscaling.enabled }}
{{- fail "autoscaling.enabled cannot be combined with kind: DaemonSet (a DaemonSet runs one pod per node)" }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) }}
{{- fail (printf "autoscaling.minReplicas (%d) must not exceed autoscaling.maxReplicas (%d)" (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- end }}
{{- end }}
{{- $pdb := .Values.podDisruptionBudget }}
{{- if $pdb.enabled }}
{{- if eq (kindIs "invalid" $pdb.minAvailable) (kindIs "invalid" $pdb.maxUnavailable) }}
{{- fail "podDisruptionBudget: set exactly one of minAvailable and maxUnavailable" }}
{{- end }}
{{- if and (not (kindIs "invalid" $pdb.minAvailable)) (not (kindIs "string" $pdb.minAvailable)) (ne .Values.kind "DaemonSet") }}
{{- $replicas := include "spoe.minReplicas" . | int }}
{{- if ge (int $pdb.minAvailable) $replicas }}
{{- fail (printf "podDisruptionBudget.minAvailable (%d) must be below the replica count (%d), or no pod could ever be evicted (node drains would block)" (int $pdb.minAvailable) $replicas) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.networkPolicy.enabled (empty .Values.networkPolicy.haproxy.podSelector) }}
{{- fail "networkPolicy.haproxy.podSelector must select HAProxy's pods when networkPolicy.enabled (an empty selector would admit every pod)" }}
{{- end }}
{{- if and .Values.redis.enabled (empty .Values.redis.host) }}
{{- fail "redis.host is required when redis.enabled" }}
{{- end }}
{{- end }}

{{/* The fewest pods the workload runs (Deployment): what a PDB must leave room below. */}}
{{- define "spoe.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}
{{- int .Values.autoscaling.minReplicas }}
{{- else }}
{{- int .Values.replicaCount }}
{{- end }}
{{- end }}

{{/* Mount point of Secrets read as a Spring config tree. */}}
{{- define "spoe.configTreeRoot" -}}
/etc/spoe-policy-service/secrets
{{- end }}

{{/*
application.yml: the user's config.application, overridden by the keys the chart owns (ports,
drain, lifecycle timeout), so the pod spec and the agent read the same numbers.
*/}}
{{- define "spoe.applicationYaml" -}}
{{- $d := .Values.shutdown.drain }}
{{- $owned := dict
    "server" (dict "port" (int .Values.ports.http) "shutdown" "graceful")
    "management" (dict "server" (dict "port" (int .Values.ports.management)))
    "spring" (dict "lifecycle" (dict "timeout-per-shutdown-phase" (printf "%ss" (include "spoe.phaseTimeoutSeconds" .))))
    "spoe" (dict "server" (dict
        "port" (int .Values.ports.spop)
        "drain" (dict
            "window" (printf "%ds" (int $d.windowSeconds))
            "quiet-period" (printf "%dms" (int $d.quietPeriodMillis))
            "linger" (printf "%ds" (int $d.lingerSeconds))
            "deadline" (printf "%ds" (int $d.deadlineSeconds))))) }}
{{- if .Values.secrets.configTree }}
{{- $_ := set $owned.spring "config" (dict "import" (printf "optional:configtree:%s/*/" (include "spoe.configTreeRoot" .))) }}
{{- end }}
{{- if .Values.redis.enabled }}
{{- $r := .Values.redis }}
{{- $_ := set $owned.spring "data" (dict "redis" (dict "host" $r.host "port" (int $r.port) "database" (int $r.database) "ssl" (dict "enabled" $r.ssl))) }}
{{- end }}
{{- $merged := mustMergeOverwrite (deepCopy (default (dict) .Values.config.application)) $owned }}
{{- toYaml $merged }}
{{- end }}
