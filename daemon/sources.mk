# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every file list of carehubd and carehubctl, once. Included by
# daemon/Makefile, tests/unit/Makefile and tests/fuzz/Makefile, which each
# build the lists with their own flags (plain, ASan/UBSan, libFuzzer).
# Paths are relative to daemon/.
#
#   core/    the pure pipeline, no I/O but the SQLite store: sensor names,
#            config, rule engine, alarm lifecycle, online accounting, the
#            control-protocol vocabulary. Static library libcarehub-core.a.
#   relay/   transports that carry alarms out (the journal; DC-09, MQTT)
#   kernel/  the kernel's generic netlink family: the pure parser
#            (chnl_parse.c, fuzzed), the sockets (chnl.c), the tracker
#   cli/     carehubctl
#   .        carehubd's I/O shell: event loop, control socket, GPIO, replay

CORE_SRCS := $(addprefix core/, \
	errf.c utf8.c sensor.c conf.c conf_check.c conf_keys.c conf_parse.c \
	rules.c rules_eval.c rules_text.c rules_time.c \
	alarm.c alarm_rule.c alarm_outbox.c alarm_query.c alarm_health.c \
	store.c store_guard.c \
	online.c core.c ctlproto.c) \
	relay/transport_log.c
KERNEL_SRCS := kernel/chnl_parse.c kernel/chnl.c kernel/chnl_track.c
CLI_SRCS := $(addprefix cli/, carehubctl.c carehubctl_help.c carehubctl_kernel.c \
	carehubctl_daemon.c carehubctl_monitor.c ctlclient.c jsonw.c)
HUBD_SRCS := carehubd.c replay.c reply.c ctl.c hwgpio.c hwgpio_v1.c \
	kernel/nlwatch.c
# Header folders, for -I.
SRC_DIRS := core relay kernel cli .
