/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * carehub generic netlink ABI: debounced elder-care sensor state.
 *
 * Shared verbatim by carehub.ko and the user-space tools; documented in
 * docs/kernel-abi.md and specified in docs/netlink/carehub.yaml.
 *
 * Family "carehub", version 1, multicast group "events". Every debounced
 * state change, fault change, sensor addition and removal is one
 * notification carrying the sensor's complete state. Delivery over netlink
 * is not reliable: every notification carries a family-wide sequence number
 * (CAREHUB_A_SEQ, incremented by one per notification, starting at 1 when
 * the module loads) and a per-sensor one. A reader that sees a gap, or gets
 * ENOBUFS, re-reads the state with CAREHUB_CMD_SENSOR_GET (dump).
 */
#ifndef _UAPI_LINUX_CAREHUB_H
#define _UAPI_LINUX_CAREHUB_H

#define CAREHUB_GENL_NAME		"carehub"
#define CAREHUB_GENL_VERSION		1
#define CAREHUB_GENL_MCGRP_EVENTS	"events"

/* Length limits of the string attributes, including the terminating NUL. */
#define CAREHUB_NAME_MAX		32
#define CAREHUB_LABEL_MAX		64

/**
 * enum carehub_kind - what a sensor is
 * @CAREHUB_KIND_CONTACT: plain contact, no specific meaning
 * @CAREHUB_KIND_DOOR: door or window reed contact; 1 = closed
 * @CAREHUB_KIND_SOS: SOS / pull-cord / call button; 1 = pressed
 * @CAREHUB_KIND_BED: bed-exit pad with switch output; 1 = occupied
 * @CAREHUB_KIND_TOILET: toilet seat or bathroom door; 1 = occupied/closed
 * @CAREHUB_KIND_PAD: mattress pressure pad (sampled); 1 = occupied. For pads
 *	EDGES counts threshold crossings, GLITCHES cancelled candidates,
 *	DEBOUNCE_MS and HOLDOFF_MAX_MS carry the enter and leave hold times.
 */
enum carehub_kind {
	CAREHUB_KIND_CONTACT,
	CAREHUB_KIND_DOOR,
	CAREHUB_KIND_SOS,
	CAREHUB_KIND_BED,
	CAREHUB_KIND_TOILET,
	CAREHUB_KIND_PAD,

	/* private: */
	__CAREHUB_KIND_MAX,
	CAREHUB_KIND_MAX = __CAREHUB_KIND_MAX - 1
};

/*
 * Fault flags (CAREHUB_A_FAULTS). A set flag means the reported state may
 * not reflect reality; it is cleared by a later notification.
 */
#define CAREHUB_FAULT_CHATTER		(1U << 0) /* line never quiet for holdoff_max */
#define CAREHUB_FAULT_STUCK		(1U << 1) /* signal flat-lined (pads) */
#define CAREHUB_FAULT_OFFLINE		(1U << 2) /* reads failing / disconnected */

/* Why a CAREHUB_CMD_SENSOR_CHANGE_NTF was sent (CAREHUB_A_REASON). */
#define CAREHUB_REASON_STATE		(1U << 0) /* debounced state changed */
#define CAREHUB_REASON_FAULT		(1U << 1) /* fault flags changed */
/* level re-read: after resume, or periodic verification found a lost edge */
#define CAREHUB_REASON_RESYNC		(1U << 2)

enum carehub_attr {
	CAREHUB_A_UNSPEC,
	CAREHUB_A_PAD,			/* padding for 64-bit attributes */
	CAREHUB_A_SENSOR_ID,		/* u32: stable while the sensor exists */
	CAREHUB_A_NAME,			/* string: configfs/DT node name */
	CAREHUB_A_LABEL,		/* string: operator's label */
	CAREHUB_A_KIND,			/* u32: enum carehub_kind */
	CAREHUB_A_STATE,		/* u8: 1 closed/pressed/occupied, 0 not */
	CAREHUB_A_FAULTS,		/* u32: CAREHUB_FAULT_* */
	/*
	 * u64: CLOCK_BOOTTIME of the first edge of the burst that led to this
	 * report; in a fault-only CHANGE, the first edge of the chattering
	 * burst (the state and its SETTLE_NS are the previous ones).
	 */
	CAREHUB_A_FIRST_EDGE_NS,
	CAREHUB_A_SETTLE_NS,		/* u64: CLOCK_BOOTTIME when the state settled */
	CAREHUB_A_SEQ,			/* u64: family-wide notification number */
	CAREHUB_A_SENSOR_SEQ,		/* u64: per-sensor notification number */
	CAREHUB_A_EDGES,		/* u64: raw edges (interrupts) seen */
	CAREHUB_A_GLITCHES,		/* u64: bursts that settled to the old level */
	CAREHUB_A_CHATTER_FAULTS,	/* u64: times the chatter fault was raised */
	CAREHUB_A_DEBOUNCE_MS,		/* u32: quiet time before a level is taken */
	CAREHUB_A_HOLDOFF_MAX_MS,	/* u32: longest burst before a chatter fault */
	CAREHUB_A_REASON,		/* u32: CAREHUB_REASON_* (CHANGE_NTF only) */
	/*
	 * u64: CLOCK_BOOTTIME of the last good read of the sensor (contacts:
	 * an edge's or a periodic verification's read; pads: the last good
	 * sample); a reader judges liveness from its age. SENSOR_GET replies
	 * carry the latest stamp, notifications the one of their state.
	 * Added after 0.1.0.
	 */
	CAREHUB_A_VERIFIED_NS,

	/* private: */
	__CAREHUB_A_MAX,
	CAREHUB_A_MAX = __CAREHUB_A_MAX - 1
};

enum carehub_cmd {
	CAREHUB_CMD_UNSPEC,
	/*
	 * Request: optional CAREHUB_A_SENSOR_ID (required without NLM_F_DUMP).
	 * Reply: one CAREHUB_CMD_SENSOR_GET message per sensor with its full
	 * state; CAREHUB_A_SEQ is the family-wide number of the last
	 * notification sent before the reply was built.
	 */
	CAREHUB_CMD_SENSOR_GET,
	/* Notifications on the "events" group, with the full sensor state. */
	CAREHUB_CMD_SENSOR_ADD_NTF,	/* sensor appeared (state = initial level) */
	CAREHUB_CMD_SENSOR_DEL_NTF,	/* sensor removed (last known state) */
	CAREHUB_CMD_SENSOR_CHANGE_NTF,	/* state and/or faults changed */
	/*
	 * Request: no attributes. Reply: CAREHUB_A_SEQ, the family-wide
	 * number of the last notification sent (0 before the first). The
	 * baseline of a reader whose dump is empty: subscribe, STATUS_GET,
	 * then dump. Added after 0.1.0.
	 */
	CAREHUB_CMD_STATUS_GET,

	/* private: */
	__CAREHUB_CMD_MAX,
	CAREHUB_CMD_MAX = __CAREHUB_CMD_MAX - 1
};

#endif /* _UAPI_LINUX_CAREHUB_H */
