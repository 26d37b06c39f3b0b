// SPDX-License-Identifier: GPL-2.0
/*
 * carehub sensor registry: ids, the published state of every sensor and
 * the sequence numbers of the notification stream.
 *
 * One mutex serialises publication, so family-wide sequence numbers are
 * handed out in exactly the order the notifications are multicast and a
 * SENSOR_GET dump taken under the same lock equals the last notifications.
 */
#include <linux/iio/iio.h>
#include <linux/mutex.h>
#include <linux/property.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "carehub.h"

static const char * const carehub_kind_names[] = {
	[CAREHUB_KIND_CONTACT] = "contact",
	[CAREHUB_KIND_DOOR] = "door",
	[CAREHUB_KIND_SOS] = "sos",
	[CAREHUB_KIND_BED] = "bed",
	[CAREHUB_KIND_TOILET] = "toilet",
	[CAREHUB_KIND_PAD] = "pad",
};

static_assert(ARRAY_SIZE(carehub_kind_names) == __CAREHUB_KIND_MAX);

/* Registry lock: sensors xarray membership, every sensor's pub/seq. */
static DEFINE_MUTEX(carehub_sensors_mutex);
static DEFINE_XARRAY_ALLOC1(carehub_sensors);
static u32 carehub_next_id;
static u64 carehub_seq;
/* Fault injection (debugfs fail_announce): announcements still to fail. */
atomic_t carehub_fail_announce = ATOMIC_INIT(0);

const char *carehub_kind_name(enum carehub_kind kind)
{
	if (kind < 0 || kind >= ARRAY_SIZE(carehub_kind_names))
		return "unknown";
	return carehub_kind_names[kind];
}

/*
 * Labels name /dev/carehub/<label> and end up in logs, alarms and SIA
 * messages: no control characters (ASCII 0..31, 127). Bytes >= 128 are
 * UTF-8 (Chinese labels work).
 */
bool carehub_has_control_chars(const char *str, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)str[i] < 0x20 || str[i] == 0x7f)
			return true;
	return false;
}

int carehub_kind_parse(const char *str, enum carehub_kind *kind)
{
	int i = sysfs_match_string(carehub_kind_names, str);

	if (i < 0)
		return -EINVAL;
	*kind = i;
	return 0;
}

/**
 * carehub_sensor_parse_names() - name and label from device properties
 * @dev: the device
 * @s: where to put them
 *
 * "carehub,name" (default: the firmware node's name) and "label"
 * (default: the name). The label names /dev/carehub/<label>: one word,
 * no path separators.
 *
 * Return: 0 or -EINVAL (logged).
 */
int carehub_sensor_parse_names(struct device *dev, struct carehub_sensor *s)
{
	if (device_property_read_string(dev, "carehub,name", &s->name))
		s->name = fwnode_get_name(dev_fwnode(dev));
	if (!s->name || !*s->name || strlen(s->name) >= CAREHUB_NAME_MAX)
		return dev_err_probe(dev, -EINVAL, "missing or long name\n");
	if (device_property_read_string(dev, "label", &s->label))
		s->label = s->name;
	if (!*s->label || strlen(s->label) >= CAREHUB_LABEL_MAX ||
	    strpbrk(s->label, " /") ||
	    carehub_has_control_chars(s->label, strlen(s->label)))
		return dev_err_probe(dev, -EINVAL,
				     "label must be one word without '/' or control characters, at most %d bytes\n",
				     CAREHUB_LABEL_MAX - 1);
	if (carehub_has_control_chars(s->name, strlen(s->name)))
		return dev_err_probe(dev, -EINVAL,
				     "name must not hold control characters\n");
	return 0;
}

/**
 * carehub_iio_stamp() - an IIO timestamp for a CLOCK_BOOTTIME stamp
 * @indio_dev: the IIO device
 * @boottime_ns: the stamp (a first edge or crossing)
 *
 * Probe sets every carehub IIO device to CLOCK_BOOTTIME, the clock of the
 * netlink stamps: the stamp goes out as is, never stepped with the wall
 * clock (a Pi without RTC sets its clock after boot). A pad's clock can be
 * changed by a user (current_timestamp_clock): then convert by the age.
 *
 * Return: the timestamp in the device's clock.
 */
s64 carehub_iio_stamp(struct iio_dev *indio_dev, u64 boottime_ns)
{
	if (iio_device_get_clock(indio_dev) == CLOCK_BOOTTIME)
		return boottime_ns;
	return iio_get_time_ns(indio_dev) -
	       (s64)(ktime_get_boottime_ns() - boottime_ns);
}

static struct carehub_sensor *carehub_dev_sensor(struct device *dev)
{
	return iio_priv(dev_to_iio_dev(dev));
}

static ssize_t carehub_kind_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  carehub_kind_name(carehub_dev_sensor(dev)->kind));
}

static ssize_t carehub_sensor_id_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(carehub_dev_sensor(dev)->id));
}

/* What the sensor is, not what it senses: world-readable. */
struct device_attribute carehub_dev_attr_kind =
	__ATTR(kind, 0444, carehub_kind_show, NULL);
struct device_attribute carehub_dev_attr_sensor_id =
	__ATTR(sensor_id, 0444, carehub_sensor_id_show, NULL);

/**
 * carehub_faults_emit() - the `fault` attribute of contacts and pads
 * @buf: the sysfs buffer
 * @faults: CAREHUB_FAULT_* flags
 *
 * Return: what sysfs_emit() returns: "none", or the active faults
 * (chatter, stuck, offline) separated by spaces.
 */
ssize_t carehub_faults_emit(char *buf, u32 faults)
{
	static const struct {
		u32 flag;
		const char *name;
	} names[] = {
		{ CAREHUB_FAULT_CHATTER, "chatter" },
		{ CAREHUB_FAULT_STUCK, "stuck" },
		{ CAREHUB_FAULT_OFFLINE, "offline" },
	};
	int len = 0;
	size_t i;

	if (!faults)
		return sysfs_emit(buf, "none\n");
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (faults & names[i].flag)
			len += sysfs_emit_at(buf, len, "%s%s", len ? " " : "",
					     names[i].name);
	return len + sysfs_emit_at(buf, len, "\n");
}

void carehub_sensors_lock(void)
{
	mutex_lock(&carehub_sensors_mutex);
}

void carehub_sensors_unlock(void)
{
	mutex_unlock(&carehub_sensors_mutex);
}

/* Caller holds the registry lock. */
struct carehub_sensor *carehub_sensor_find(u32 id)
{
	lockdep_assert_held(&carehub_sensors_mutex);
	return xa_load(&carehub_sensors, id);
}

/* Caller holds the registry lock; returns the sensor at or after *id. */
struct carehub_sensor *carehub_sensor_next(unsigned long *id)
{
	lockdep_assert_held(&carehub_sensors_mutex);
	return xa_find(&carehub_sensors, id, ULONG_MAX, XA_PRESENT);
}

/* Caller holds the registry lock. */
u64 carehub_family_seq(void)
{
	lockdep_assert_held(&carehub_sensors_mutex);
	return carehub_seq;
}

/* Caller holds the registry lock. */
static void carehub_sensor_emit(struct carehub_sensor *s, u8 cmd, u32 reason)
{
	s->seq++;
	s->family_seq = ++carehub_seq;
	carehub_nl_notify(s, cmd, reason);
}

/**
 * carehub_sensor_publish() - publish a new state of a sensor
 * @s: the sensor
 * @st: its complete new state
 * @reason: CAREHUB_REASON_* flags
 *
 * Nothing is sent for a sensor that is not announced (yet, or any more).
 *
 * Context: process context; takes the registry lock.
 */
void carehub_sensor_publish(struct carehub_sensor *s,
			    const struct carehub_state *st, u32 reason)
{
	mutex_lock(&carehub_sensors_mutex);
	if (s->id) {
		s->pub = *st;
		carehub_sensor_emit(s, CAREHUB_CMD_SENSOR_CHANGE_NTF, reason);
	}
	mutex_unlock(&carehub_sensors_mutex);
}

/**
 * carehub_sensor_verified() - a good read of the sensor happened
 * @s: the sensor
 * @now: its CLOCK_BOOTTIME
 *
 * No notification: SENSOR_GET replies carry the latest stamp, so that a
 * reader can judge liveness without a stream of messages.
 *
 * Context: any; lockless.
 */
void carehub_sensor_verified(struct carehub_sensor *s, u64 now)
{
	atomic64_set(&s->verified_ns, now);
}

/**
 * carehub_sensor_announce() - add a sensor to the registry: SENSOR_ADD
 * @s: sensor with @kind, @name and @label set, prepared with
 *	devm_carehub_sensor_prepare()
 * @st: its state now
 *
 * Ids are allocated cyclically so that a removed sensor's id is not
 * reused at once by a new one; readers key their state on it.
 *
 * Context: process context; takes the registry lock.
 * Return: 0 or a negative errno.
 */
int carehub_sensor_announce(struct carehub_sensor *s,
			    const struct carehub_state *st)
{
	u32 id;
	int ret;

	if (atomic_dec_if_positive(&carehub_fail_announce) >= 0)
		return -ENOMEM;

	mutex_lock(&carehub_sensors_mutex);
	ret = xa_alloc_cyclic(&carehub_sensors, &id, s, XA_LIMIT(1, INT_MAX),
			      &carehub_next_id, GFP_KERNEL);
	if (ret >= 0) {
		s->id = id;
		s->pub = *st;
		atomic64_set(&s->verified_ns, st->verified_ns);
		s->seq = 0;
		carehub_sensor_emit(s, CAREHUB_CMD_SENSOR_ADD_NTF, 0);
	}
	mutex_unlock(&carehub_sensors_mutex);
	return ret < 0 ? ret : 0;
}

static void carehub_sensor_withdraw(void *data)
{
	struct carehub_sensor *s = data;

	mutex_lock(&carehub_sensors_mutex);
	if (s->id) {
		xa_erase(&carehub_sensors, s->id);
		carehub_sensor_emit(s, CAREHUB_CMD_SENSOR_DEL_NTF, 0);
		s->id = 0;
	}
	mutex_unlock(&carehub_sensors_mutex);
}

/**
 * devm_carehub_sensor_prepare() - withdraw the sensor when @dev unbinds
 * @dev: the device
 * @s: the sensor, not announced yet
 *
 * Call it before anything that may publish is set up, so that the
 * withdrawal (SENSOR_DEL) runs after all of it is stopped.
 *
 * Return: 0 or a negative errno.
 */
int devm_carehub_sensor_prepare(struct device *dev, struct carehub_sensor *s)
{
	s->id = 0;
	return devm_add_action_or_reset(dev, carehub_sensor_withdraw, s);
}

void carehub_sensors_exit(void)
{
	WARN_ON(!xa_empty(&carehub_sensors));
	xa_destroy(&carehub_sensors);
}
