/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carehub internal interfaces between the module's parts:
 *
 *   carehub_sensor.c    registry of sensors, publication of their state
 *   carehub_netlink.c   generic netlink family (notifications, SENSOR_GET)
 *   carehub_contact.c   platform driver for GPIO contact sensors (IIO)
 *   carehub_pad.c       platform driver for mattress pads (IIO consumer)
 *   carehub_occupancy.c bed occupancy decision for pads (pure C)
 *   carehub_configfs.c  /sys/kernel/config/carehub: sensors without DT
 *   carehub_debounce.c  the debounce state machine (pure C)
 */
#ifndef _CAREHUB_H
#define _CAREHUB_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/types.h>
#include <uapi/linux/carehub.h>

#define CAREHUB_CONTACT_DRV_NAME	"carehub-contact"
#define CAREHUB_PAD_DRV_NAME		"carehub-pad"

/* Limits shared by configfs, device tree and the IIO period attribute. */
#define CAREHUB_DEBOUNCE_MS_DEFAULT	20
#define CAREHUB_DEBOUNCE_MS_MAX		1000
#define CAREHUB_HOLDOFF_MS_DEFAULT	2000
#define CAREHUB_HOLDOFF_MS_MAX		60000
/* Contacts: periodic re-read of an idle line; 0 = off. */
#define CAREHUB_VERIFY_MS_DEFAULT	10000
#define CAREHUB_VERIFY_MS_MIN		100
#define CAREHUB_VERIFY_MS_MAX		3600000
/* Contacts: offline after this many consecutive failed reads... */
#define CAREHUB_CONTACT_OFFLINE_READS	3
/* ...or failing reads for this long. */
#define CAREHUB_CONTACT_OFFLINE_MS	1000
/* Contacts: poll period of a chattering line whose interrupt is masked. */
#define CAREHUB_CHATTER_POLL_MS		20

/* Mattress pads. */
#define CAREHUB_PAD_RATE_DEFAULT	100
#define CAREHUB_PAD_RATE_MIN		10
#define CAREHUB_PAD_RATE_MAX		250
#define CAREHUB_PAD_ENTER_MS_DEFAULT	10000
#define CAREHUB_PAD_LEAVE_MS_DEFAULT	10000
#define CAREHUB_PAD_HOLD_MS_MAX		600000
#define CAREHUB_PAD_STUCK_MS_DEFAULT	600000
#define CAREHUB_PAD_OFFLINE_MS_DEFAULT	5000

/**
 * struct carehub_state - what is published about a sensor
 * @level: debounced state, 1 = closed/pressed/occupied
 * @faults: CAREHUB_FAULT_* flags
 * @first_edge_ns: CLOCK_BOOTTIME of the first edge of the burst reported
 * @settle_ns: CLOCK_BOOTTIME when that state settled
 * @edges: raw edges seen
 * @glitches: bursts that settled back to the old level
 * @chatter_faults: times the chatter fault was raised
 * @debounce_ms: current debounce period
 * @holdoff_max_ms: current chatter hold-off limit
 * @verified_ns: CLOCK_BOOTTIME of the last good read
 */
struct carehub_state {
	u8 level;
	u32 faults;
	u64 first_edge_ns;
	u64 settle_ns;
	u64 edges;
	u64 glitches;
	u64 chatter_faults;
	u32 debounce_ms;
	u32 holdoff_max_ms;
	u64 verified_ns;
};

/**
 * struct carehub_sensor - a sensor as the registry and netlink see it
 * @id: registry id, CAREHUB_A_SENSOR_ID; 0 while not announced; under
 *	the registry lock
 * @kind: what the sensor is
 * @name: sensor name (configfs directory or DT node name)
 * @label: operator's label
 * @pub: last published state; under the registry lock
 * @seq: per-sensor notification number; under the registry lock
 * @family_seq: family-wide number of this sensor's last notification
 * @verified_ns: CLOCK_BOOTTIME of the last good read, updated on every
 *	one without a notification: SENSOR_GET reports it live
 */
struct carehub_sensor {
	u32 id;
	enum carehub_kind kind;
	const char *name;
	const char *label;
	struct carehub_state pub;
	u64 seq;
	u64 family_seq;
	atomic64_t verified_ns;
};

/**
 * struct carehub_contact_pdata - platform data set by configfs
 * @probe_err: where probe stores its error, so that writing `live`
 *	can return the real reason; outlives the platform device
 */
struct carehub_contact_pdata {
	int *probe_err;
};

/*
 * Sysfs attributes that say something about the person (state, counters,
 * faults, calibration): not world-readable. Group root until the udev rule
 * (udev/60-carehub.rules) hands them to group carehub; kind and sensor_id
 * stay 0444. See docs/kernel-abi.md, "Who can read what".
 */
#define CAREHUB_DEVICE_ATTR_PRIVATE(_name) \
	struct device_attribute dev_attr_##_name = __ATTR(_name, 0440, _name##_show, NULL)
#define CAREHUB_DEVICE_ATTR_PRIVATE_RW(_name) \
	struct device_attribute dev_attr_##_name = \
		__ATTR(_name, 0640, _name##_show, _name##_store)

/*
 * carehub_sensor.c: the sysfs attributes contacts and pads share. Their
 * iio_priv() begins with their struct carehub_sensor (static_assert'ed).
 */
extern struct device_attribute carehub_dev_attr_kind;
extern struct device_attribute carehub_dev_attr_sensor_id;
ssize_t carehub_faults_emit(char *buf, u32 faults);

/* carehub_sensor.c */
const char *carehub_kind_name(enum carehub_kind kind);
int carehub_sensor_parse_names(struct device *dev, struct carehub_sensor *s);
int carehub_kind_parse(const char *str, enum carehub_kind *kind);
bool carehub_has_control_chars(const char *str, size_t len);
int devm_carehub_sensor_prepare(struct device *dev, struct carehub_sensor *s);
int carehub_sensor_announce(struct carehub_sensor *s,
			    const struct carehub_state *st);
void carehub_sensor_publish(struct carehub_sensor *s,
			    const struct carehub_state *st, u32 reason);
void carehub_sensor_verified(struct carehub_sensor *s, u64 now);
void carehub_sensors_lock(void);
void carehub_sensors_unlock(void);
struct carehub_sensor *carehub_sensor_find(u32 id);
struct carehub_sensor *carehub_sensor_next(unsigned long *id);
u64 carehub_family_seq(void);
extern atomic_t carehub_fail_announce;
void carehub_sensors_exit(void);

struct iio_dev;
s64 carehub_iio_stamp(struct iio_dev *indio_dev, u64 boottime_ns);

/* carehub_netlink.c */
int carehub_nl_init(void);
void carehub_nl_exit(void);
void carehub_nl_notify(const struct carehub_sensor *s, u8 cmd, u32 reason);

/* carehub_main.c: /sys/kernel/debug/carehub (fault injection for tests) */
extern struct dentry *carehub_debugfs_root;
/* carehub_main.c: high-priority, freezable; the contacts' work items */
extern struct workqueue_struct *carehub_wq;

/* carehub_contact.c, carehub_pad.c */
extern struct platform_driver carehub_contact_driver;
extern struct platform_driver carehub_pad_driver;

/* carehub_configfs.c */
int carehub_configfs_init(void);
void carehub_configfs_exit(void);

#endif /* _CAREHUB_H */
