// SPDX-License-Identifier: GPL-2.0
/*
 * carehub contact sensors: a GPIO line (door reed, SOS button, bed-exit or
 * toilet switch) debounced at interrupt level and exposed as an IIO
 * proximity channel (1 = closed/pressed/occupied) with threshold events,
 * and as notifications of the carehub generic netlink family.
 *
 * Flow: both edges interrupt; the hard-IRQ handler only timestamps, counts
 * and re-arms an hrtimer (CLOCK_BOOTTIME) for the debounce deadline. The
 * timer queues a work item that reads the level (the GPIO may sit behind
 * I2C and sleep) and lets carehub_debounce.c decide what to report.
 *
 * No silent sensor: a read that fails is retried every debounce period
 * and, after CAREHUB_CONTACT_OFFLINE_READS failures in a row or
 * CAREHUB_CONTACT_OFFLINE_MS, raises the offline fault, cleared by the next
 * good read. An idle line is re-read every verify_ms: a level that differs
 * from the reported state (a lost edge) is reported like a change, and
 * every good read stamps verified_ns, which netlink carries.
 *
 * Chatter without an interrupt storm: once the chatter fault is raised the
 * line's interrupt is masked and the work polls the level every
 * CAREHUB_CHATTER_POLL_MS; when the polled level has not changed for the
 * debounce period the line is quiet: the interrupt is unmasked and the
 * burst settles as usual (fault cleared, level taken). A line oscillating
 * at kHz then costs 50 reads a second, not an interrupt per edge.
 *
 * The sensor is described by device properties, from device tree or from
 * a software node made by carehub_configfs.c; see docs/bindings/.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/gpio/consumer.h>
#include <linux/hrtimer.h>
#include <linux/iio/events.h>
#include <linux/iio/iio.h>
#include <linux/iio/sysfs.h>
#include <linux/interrupt.h>
#include <linux/mod_devicetable.h>
#include <linux/pinctrl/pinconf-generic.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/pm_wakeirq.h>
#include <linux/pm_wakeup.h>
#include <linux/property.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "carehub.h"
#include "carehub_compat.h"
#include "carehub_debounce.h"

/**
 * struct carehub_contact - one contact sensor
 * @sensor: registry entry (name, label, kind, published state)
 * @dev: the platform device
 * @indio_dev: the IIO device this is the private data of
 * @gpio: the line, logical level (active-low applied)
 * @timer: debounce deadline; armed under @lock
 * @work: reads the level and decides; runs after @timer
 * @verify: queues @work every @verify_ms to re-read an idle line
 * @verify_ms: verification period, 0 = off
 * @lock: protects @chd, @announce, @resync, @stopped, @iio_ready,
 *	@offline, @read_errors, @err_since_ns and @verified_ns; taken in
 *	hard-IRQ context
 * @chd: debounce state
 * @announce: the work must announce the sensor (end of probe)
 * @announce_err: what the announcement returned, for probe
 * @resync: the work must re-read the level even without a burst
 * @stopped: unbinding: nothing may arm @timer any more
 * @iio_ready: the IIO device is registered: events may be pushed
 * @iio_events_on: IIO threshold events enabled
 * @irq: the line's interrupt
 * @masked: @irq is disabled while the line chatters; the work polls
 * @poll_level: while @masked, the level the last poll read
 * @poll_change_ns: while @masked, when a poll last saw the level change
 * @offline: reads are failing (CAREHUB_FAULT_OFFLINE)
 * @read_errors: failed reads in a row
 * @err_since_ns: the first of them
 * @verified_ns: last good read
 * @fail_reads: fault injection (debugfs): reads still to fail, < 0 all
 * @lose_edges: fault injection (debugfs): edges still to ignore, < 0 all
 */
struct carehub_contact {
	struct carehub_sensor sensor;
	struct device *dev;
	struct iio_dev *indio_dev;
	struct gpio_desc *gpio;
	struct hrtimer timer;
	struct work_struct work;
	struct delayed_work verify;
	u32 verify_ms;
	spinlock_t lock; /* see above */
	struct chd chd;
	bool announce;
	int announce_err;
	bool resync;
	bool stopped;
	bool iio_ready;
	bool iio_events_on;
	int irq;
	bool masked;
	int poll_level;
	u64 poll_change_ns;
	bool offline;
	u32 read_errors;
	u64 err_since_ns;
	u64 verified_ns;
	atomic_t fail_reads;
	atomic_t lose_edges;
};

/* The shared attributes (carehub_sensor.c) find the sensor at iio_priv(). */
static_assert(offsetof(struct carehub_contact, sensor) == 0);

/* Caller holds c->lock. */
static void carehub_contact_snapshot(const struct carehub_contact *c,
				     struct carehub_state *st)
{
	const struct chd *d = &c->chd;

	*st = (struct carehub_state){
		.level = d->level,
		.faults = (d->chatter ? CAREHUB_FAULT_CHATTER : 0) |
			  (c->offline ? CAREHUB_FAULT_OFFLINE : 0),
		.first_edge_ns = d->first_edge_ns,
		.settle_ns = d->settle_ns,
		.edges = d->edges,
		.glitches = d->glitches,
		.chatter_faults = d->chatter_faults,
		.debounce_ms = div_u64(d->debounce_ns, NSEC_PER_MSEC),
		.holdoff_max_ms = div_u64(d->holdoff_max_ns, NSEC_PER_MSEC),
		.verified_ns = c->verified_ns,
	};
}

/* Fault injection for the selftests: true while a counter says so. */
static bool carehub_contact_inject(atomic_t *count)
{
	return atomic_read(count) < 0 || atomic_dec_if_positive(count) >= 0;
}

static irqreturn_t carehub_contact_isr(int irq, void *data)
{
	struct carehub_contact *c = data;
	u64 now = ktime_get_boottime_ns();
	unsigned long flags;
	u64 deadline;

	if (carehub_contact_inject(&c->lose_edges))
		return IRQ_HANDLED;

	spin_lock_irqsave(&c->lock, flags);
	deadline = chd_edge(&c->chd, now);
	if (!c->stopped)
		hrtimer_start(&c->timer, ns_to_ktime(deadline),
			      HRTIMER_MODE_ABS);
	spin_unlock_irqrestore(&c->lock, flags);

	return IRQ_HANDLED;
}

static enum hrtimer_restart carehub_contact_timer(struct hrtimer *t)
{
	struct carehub_contact *c = container_of(t, struct carehub_contact,
						 timer);

	queue_work(carehub_wq, &c->work);
	return HRTIMER_NORESTART;
}

/* Report to IIO: timestamp is the burst's first edge (CLOCK_BOOTTIME). */
static void carehub_contact_push_iio(struct carehub_contact *c,
				     const struct carehub_state *st)
{
	enum iio_event_direction dir;

	dir = st->level ? IIO_EV_DIR_RISING : IIO_EV_DIR_FALLING;
	iio_push_event(c->indio_dev,
		       IIO_UNMOD_EVENT_CODE(IIO_PROXIMITY, 0,
					    IIO_EV_TYPE_THRESH, dir),
		       carehub_iio_stamp(c->indio_dev, st->first_edge_ns));
}

/*
 * One poll of a masked, chattering line. A change counts as an edge of the
 * burst. Once the level has not changed for the debounce period the line is
 * quiet: return true; the caller unmasks and the burst settles now (its
 * last edge is the last change seen). Caller holds c->lock.
 */
static bool carehub_contact_poll(struct carehub_contact *c, u64 now,
				 int level)
{
	if (level != c->poll_level) {
		c->poll_level = level;
		c->poll_change_ns = now;
		chd_edge(&c->chd, now);
	}
	if (now - c->poll_change_ns < c->chd.debounce_ns)
		return false;
	c->masked = false;
	return true;
}

/* A read failed. Caller holds c->lock. Return: CHD_REPORT_FAULT or 0. */
static u32 carehub_contact_read_failed(struct carehub_contact *c, u64 now)
{
	if (!c->read_errors++)
		c->err_since_ns = now;
	if (c->offline ||
	    (c->read_errors < CAREHUB_CONTACT_OFFLINE_READS &&
	     now - c->err_since_ns <
	     (u64)CAREHUB_CONTACT_OFFLINE_MS * NSEC_PER_MSEC))
		return 0;
	c->offline = true;
	return CHD_REPORT_FAULT;
}

/*
 * The only place that decides and reports, the announcement included: a
 * work item never runs concurrently with itself, so reports leave in the
 * order of decisions.
 */
static void carehub_contact_work(struct work_struct *work)
{
	struct carehub_contact *c = container_of(work, struct carehub_contact,
						 work);
	struct carehub_state st;
	unsigned long flags;
	u64 edges, next, now;
	u32 act = 0, reason = 0;
	bool iio_on, announce, resync, mask = false, unmask = false;
	int level;

	spin_lock_irqsave(&c->lock, flags);
	edges = c->chd.edges;
	announce = c->announce;
	resync = c->resync;
	c->announce = false;
	c->resync = false;
	spin_unlock_irqrestore(&c->lock, flags);

	level = carehub_contact_inject(&c->fail_reads) ? -EIO :
		gpiod_get_value_cansleep(c->gpio);
	now = ktime_get_boottime_ns();

	spin_lock_irqsave(&c->lock, flags);
	if (c->stopped) {
		spin_unlock_irqrestore(&c->lock, flags);
		return;
	}
	if (level < 0) {
		/* Retry after another debounce period; announce anyway. */
		c->resync |= resync;
		hrtimer_start(&c->timer, ns_to_ktime(now + c->chd.debounce_ns),
			      HRTIMER_MODE_ABS);
		act = carehub_contact_read_failed(c, now);
		dev_err_ratelimited(c->dev, "reading the line failed: %d\n",
				    level);
	} else {
		c->verified_ns = now;
		c->read_errors = 0;
		if (c->offline) {
			c->offline = false;
			act |= CHD_REPORT_FAULT;
		}
		if (c->masked) {
			unmask = carehub_contact_poll(c, now, level);
			if (!unmask)	/* still chattering: poll again */
				hrtimer_start(&c->timer,
					      ns_to_ktime(now + CAREHUB_CHATTER_POLL_MS *
							  NSEC_PER_MSEC),
					      HRTIMER_MODE_ABS);
		}
		if (!c->masked && (unmask || c->chd.edges == edges)) {
			/* Quiet after polling, or no edge meanwhile. */
			if (resync && chd_resync(&c->chd, now, level))
				reason |= CAREHUB_REASON_STATE |
					  CAREHUB_REASON_RESYNC;
			act |= chd_expire(&c->chd, now, level, &next);
			if (next && c->chd.chatter && !c->masked) {
				/* Chattering: stop the interrupts, poll. */
				mask = true;
				c->masked = true;
				c->poll_level = level;
				c->poll_change_ns = now;
				next = now + CAREHUB_CHATTER_POLL_MS *
					     NSEC_PER_MSEC;
			}
			if (next)
				hrtimer_start(&c->timer, ns_to_ktime(next),
					      HRTIMER_MODE_ABS);
		}
		/* else an edge arrived meanwhile: the re-armed timer decides. */
	}
	carehub_contact_snapshot(c, &st);
	iio_on = c->iio_ready && c->iio_events_on;
	spin_unlock_irqrestore(&c->lock, flags);

	/*
	 * Outside the spinlock: for a GPIO behind I2C these take the chip's
	 * bus lock, a mutex. Only this work masks and unmasks, and it never
	 * runs concurrently with itself, so the calls stay paired.
	 */
	if (mask)
		disable_irq_nosync(c->irq);
	if (unmask)
		enable_irq(c->irq);

	if (level >= 0)
		carehub_sensor_verified(&c->sensor, now);
	if (act & CHD_REPORT_STATE)
		reason |= CAREHUB_REASON_STATE;
	if (act & CHD_REPORT_FAULT)
		reason |= CAREHUB_REASON_FAULT;
	if ((reason & CAREHUB_REASON_STATE) && iio_on)
		carehub_contact_push_iio(c, &st);
	if (announce) {
		/* The ADD carries the state: no separate CHANGE. */
		/* Probe waits for this work and fails with the error. */
		c->announce_err = carehub_sensor_announce(&c->sensor, &st);
	} else if (reason) {
		carehub_sensor_publish(&c->sensor, &st, reason);
	}
}

/* Have the work re-read the level (and announce the sensor). */
static void carehub_contact_resync(struct carehub_contact *c, bool announce)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	c->resync = true;
	c->announce |= announce;
	spin_unlock_irqrestore(&c->lock, flags);
	queue_work(carehub_wq, &c->work);
}

/*
 * Periodic verification: re-read the line even without an edge. Freezable:
 * it does not run while the system is suspended (resume resyncs anyway).
 */
static void carehub_contact_verify(struct work_struct *work)
{
	struct carehub_contact *c = container_of(to_delayed_work(work),
						 struct carehub_contact,
						 verify);

	carehub_contact_resync(c, false);
	queue_delayed_work(system_freezable_wq, &c->verify,
			   msecs_to_jiffies(c->verify_ms));
}

static const struct iio_event_spec carehub_contact_events[] = {
	{
		.type = IIO_EV_TYPE_THRESH,
		.dir = IIO_EV_DIR_EITHER,
		.mask_separate = BIT(IIO_EV_INFO_ENABLE) |
				 BIT(IIO_EV_INFO_PERIOD),
	},
};

static const struct iio_chan_spec carehub_contact_channels[] = {
	{
		.type = IIO_PROXIMITY,
		.info_mask_separate = BIT(IIO_CHAN_INFO_RAW),
		.event_spec = carehub_contact_events,
		.num_event_specs = ARRAY_SIZE(carehub_contact_events),
	},
};

static int carehub_contact_read_raw(struct iio_dev *indio_dev,
				    const struct iio_chan_spec *chan,
				    int *val, int *val2, long mask)
{
	struct carehub_contact *c = iio_priv(indio_dev);
	unsigned long flags;

	if (mask != IIO_CHAN_INFO_RAW)
		return -EINVAL;

	spin_lock_irqsave(&c->lock, flags);
	*val = c->chd.level;
	spin_unlock_irqrestore(&c->lock, flags);
	return IIO_VAL_INT;
}

static int carehub_contact_read_event_config(struct iio_dev *indio_dev,
					     const struct iio_chan_spec *chan,
					     enum iio_event_type type,
					     enum iio_event_direction dir)
{
	struct carehub_contact *c = iio_priv(indio_dev);

	return READ_ONCE(c->iio_events_on);
}

static int carehub_contact_write_event_config(struct iio_dev *indio_dev,
					      const struct iio_chan_spec *chan,
					      enum iio_event_type type,
					      enum iio_event_direction dir,
					      CAREHUB_IIO_EVENT_STATE_T state)
{
	struct carehub_contact *c = iio_priv(indio_dev);

	WRITE_ONCE(c->iio_events_on, !!state);
	return 0;
}

static int carehub_contact_read_event_value(struct iio_dev *indio_dev,
					    const struct iio_chan_spec *chan,
					    enum iio_event_type type,
					    enum iio_event_direction dir,
					    enum iio_event_info info,
					    int *val, int *val2)
{
	struct carehub_contact *c = iio_priv(indio_dev);
	unsigned long flags;
	u64 ns;

	if (info != IIO_EV_INFO_PERIOD)
		return -EINVAL;

	spin_lock_irqsave(&c->lock, flags);
	ns = c->chd.debounce_ns;
	spin_unlock_irqrestore(&c->lock, flags);

	*val = div_u64_rem(div_u64(ns, NSEC_PER_USEC), USEC_PER_SEC, val2);
	return IIO_VAL_INT_PLUS_MICRO;
}

static int carehub_contact_write_event_value(struct iio_dev *indio_dev,
					     const struct iio_chan_spec *chan,
					     enum iio_event_type type,
					     enum iio_event_direction dir,
					     enum iio_event_info info,
					     int val, int val2)
{
	struct carehub_contact *c = iio_priv(indio_dev);
	unsigned long flags;
	u64 ns;
	int ret = 0;

	if (info != IIO_EV_INFO_PERIOD)
		return -EINVAL;
	if (val < 0 || val2 < 0 || val > CAREHUB_DEBOUNCE_MS_MAX / MSEC_PER_SEC)
		return -EINVAL;

	/* Whole milliseconds, as in configfs, DT and netlink. */
	if (val2 % USEC_PER_MSEC)
		return -EINVAL;
	ns = (u64)val * NSEC_PER_SEC + (u64)val2 * NSEC_PER_USEC;
	if (ns < NSEC_PER_MSEC ||
	    ns > (u64)CAREHUB_DEBOUNCE_MS_MAX * NSEC_PER_MSEC)
		return -EINVAL;

	/* Takes effect from the next edge on. */
	spin_lock_irqsave(&c->lock, flags);
	if (ns >= c->chd.holdoff_max_ns)
		ret = -EINVAL;
	else
		c->chd.debounce_ns = ns;
	spin_unlock_irqrestore(&c->lock, flags);
	return ret;
}

static ssize_t carehub_contact_show_u64(struct device *dev, u64 *field,
					char *buf)
{
	struct carehub_contact *c = iio_priv(dev_to_iio_dev(dev));
	unsigned long flags;
	u64 v;

	spin_lock_irqsave(&c->lock, flags);
	v = *field;
	spin_unlock_irqrestore(&c->lock, flags);
	return sysfs_emit(buf, "%llu\n", v);
}

#define CAREHUB_COUNTER_ATTR(_name, _field)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct carehub_contact *c = iio_priv(dev_to_iio_dev(dev));	\
									\
	return carehub_contact_show_u64(dev, &c->chd._field, buf);	\
}									\
static CAREHUB_DEVICE_ATTR_PRIVATE(_name)

CAREHUB_COUNTER_ATTR(edge_count, edges);
CAREHUB_COUNTER_ATTR(glitch_count, glitches);
CAREHUB_COUNTER_ATTR(chatter_count, chatter_faults);

static ssize_t fault_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct carehub_contact *c = iio_priv(dev_to_iio_dev(dev));
	unsigned long flags;
	u32 faults;

	spin_lock_irqsave(&c->lock, flags);
	faults = (c->chd.chatter ? CAREHUB_FAULT_CHATTER : 0) |
		 (c->offline ? CAREHUB_FAULT_OFFLINE : 0);
	spin_unlock_irqrestore(&c->lock, flags);
	return carehub_faults_emit(buf, faults);
}
static CAREHUB_DEVICE_ATTR_PRIVATE(fault);

static ssize_t holdoff_max_ms_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct carehub_contact *c = iio_priv(dev_to_iio_dev(dev));

	return sysfs_emit(buf, "%llu\n",
			  div_u64(c->chd.holdoff_max_ns, NSEC_PER_MSEC));
}
static CAREHUB_DEVICE_ATTR_PRIVATE(holdoff_max_ms);

static struct attribute *carehub_contact_attrs[] = {
	&carehub_dev_attr_kind.attr,
	&carehub_dev_attr_sensor_id.attr,
	&dev_attr_edge_count.attr,
	&dev_attr_glitch_count.attr,
	&dev_attr_chatter_count.attr,
	&dev_attr_fault.attr,
	&dev_attr_holdoff_max_ms.attr,
	NULL
};

static const struct attribute_group carehub_contact_attr_group = {
	.attrs = carehub_contact_attrs,
};

static const struct iio_info carehub_contact_iio_info = {
	.read_raw = carehub_contact_read_raw,
	.read_event_config = carehub_contact_read_event_config,
	.write_event_config = carehub_contact_write_event_config,
	.read_event_value = carehub_contact_read_event_value,
	.write_event_value = carehub_contact_write_event_value,
	.attrs = &carehub_contact_attr_group,
};

static void carehub_contact_stop(void *data)
{
	struct carehub_contact *c = data;
	unsigned long flags;

	/*
	 * Runs before the IRQ is freed (added after it was requested). Once
	 * stopped is set neither the ISR nor the work arms the timer, so a
	 * cancelled timer stays cancelled; it may have queued the work once
	 * more before that, and so may the verification. With the work gone
	 * nothing masks or unmasks the IRQ any more: a chattering line's IRQ
	 * is unmasked so that it is freed balanced (enabling a freed IRQ
	 * warns in __irq_startup()).
	 */
	spin_lock_irqsave(&c->lock, flags);
	c->stopped = true;
	spin_unlock_irqrestore(&c->lock, flags);
	cancel_delayed_work_sync(&c->verify);
	hrtimer_cancel(&c->timer);
	cancel_work_sync(&c->work);
	if (c->masked) {
		c->masked = false;
		enable_irq(c->irq);
	}
}

static void carehub_contact_set_iio_ready(struct carehub_contact *c,
					  bool ready)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	c->iio_ready = ready;
	spin_unlock_irqrestore(&c->lock, flags);
}

/* Runs before the IIO device is unregistered. */
static void carehub_contact_iio_gone(void *data)
{
	carehub_contact_set_iio_ready(data, false);
}

static void carehub_contact_debugfs_remove(void *data)
{
	debugfs_remove_recursive(data);
}

/*
 * Fault injection for the selftests, /sys/kernel/debug/carehub/<dev>/:
 * fail_reads (the next N line reads fail with EIO; -1 all) and lose_edges
 * (the next N edges are ignored, as if the interrupt were lost; -1 all).
 * Nothing here is needed for the sensor to work: errors are ignored.
 */
static void carehub_contact_debugfs(struct carehub_contact *c)
{
	struct dentry *dir;

	dir = debugfs_create_dir(dev_name(c->dev), carehub_debugfs_root);
	debugfs_create_atomic_t("fail_reads", 0600, dir, &c->fail_reads);
	debugfs_create_atomic_t("lose_edges", 0600, dir, &c->lose_edges);
	devm_add_action_or_reset(c->dev, carehub_contact_debugfs_remove, dir);
}

/*
 * The line's bias, from the standard bias-pull-up / bias-pull-down /
 * bias-disable properties (device tree, or configfs `bias`): a floating
 * input chatters into false alarms. Without any, the line is left as the
 * firmware or board set it. A bias the GPIO chip cannot apply fails the
 * probe rather than leaving the input floating unnoticed.
 */
static int carehub_contact_bias(struct carehub_contact *c)
{
	static const struct {
		const char *prop;
		enum pin_config_param param;
	} biases[] = {
		{ "bias-pull-up", PIN_CONFIG_BIAS_PULL_UP },
		{ "bias-pull-down", PIN_CONFIG_BIAS_PULL_DOWN },
		{ "bias-disable", PIN_CONFIG_BIAS_DISABLE },
	};
	struct device *dev = c->dev;
	int i, found = -1, ret;

	for (i = 0; i < ARRAY_SIZE(biases); i++) {
		if (!device_property_read_bool(dev, biases[i].prop))
			continue;
		if (found >= 0)
			return dev_err_probe(dev, -EINVAL,
					     "%s and %s: one bias at most\n",
					     biases[found].prop, biases[i].prop);
		found = i;
	}
	if (found < 0)
		return 0;
	ret = gpiod_set_config(c->gpio,
			       pinconf_to_config_packed(biases[found].param, 1));
	if (ret)
		return dev_err_probe(dev, ret, "cannot apply %s to the line\n",
				     biases[found].prop);
	return 0;
}

static void carehub_contact_wakeup_off(void *data)
{
	struct device *dev = data;

	dev_pm_clear_wake_irq(dev);
	device_init_wakeup(dev, false);
}

/*
 * An SOS press must wake a suspended hub: SOS contacts, and any contact
 * with the wakeup-source property (configfs `wakeup`), are wake-up
 * sources whose interrupt stays armed in suspend (the standard
 * power/wakeup attribute can still turn it off).
 */
static int carehub_contact_wakeup(struct carehub_contact *c, int irq)
{
	struct device *dev = c->dev;
	int ret;

	if (c->sensor.kind != CAREHUB_KIND_SOS &&
	    !device_property_read_bool(dev, "wakeup-source"))
		return 0;
	device_init_wakeup(dev, true);
	ret = dev_pm_set_wake_irq(dev, irq);
	if (ret) {
		device_init_wakeup(dev, false);
		return dev_err_probe(dev, ret, "cannot make IRQ %d wake\n", irq);
	}
	return devm_add_action_or_reset(dev, carehub_contact_wakeup_off, dev);
}

static int carehub_contact_parse(struct carehub_contact *c)
{
	struct device *dev = c->dev;
	struct carehub_sensor *s = &c->sensor;
	u32 debounce_ms = CAREHUB_DEBOUNCE_MS_DEFAULT;
	u32 holdoff_ms = CAREHUB_HOLDOFF_MS_DEFAULT;
	u32 verify_ms = CAREHUB_VERIFY_MS_DEFAULT;
	const char *kind = "contact";
	int ret;

	ret = carehub_sensor_parse_names(dev, s);
	if (ret)
		return ret;

	device_property_read_string(dev, "carehub,kind", &kind);
	ret = carehub_kind_parse(kind, &s->kind);
	if (ret || s->kind == CAREHUB_KIND_PAD)
		return dev_err_probe(dev, -EINVAL,
				     "carehub,kind \"%s\" is not a contact\n",
				     kind);

	device_property_read_u32(dev, "carehub,debounce-ms", &debounce_ms);
	device_property_read_u32(dev, "carehub,holdoff-max-ms", &holdoff_ms);
	device_property_read_u32(dev, "carehub,verify-ms", &verify_ms);
	if (verify_ms && (verify_ms < CAREHUB_VERIFY_MS_MIN ||
			  verify_ms > CAREHUB_VERIFY_MS_MAX))
		return dev_err_probe(dev, -EINVAL,
				     "carehub,verify-ms %u not 0 or in %u..%u\n",
				     verify_ms, CAREHUB_VERIFY_MS_MIN,
				     CAREHUB_VERIFY_MS_MAX);
	c->verify_ms = verify_ms;
	if (debounce_ms < 1 || debounce_ms > CAREHUB_DEBOUNCE_MS_MAX)
		return dev_err_probe(dev, -EINVAL,
				     "carehub,debounce-ms %u not in 1..%u\n",
				     debounce_ms, CAREHUB_DEBOUNCE_MS_MAX);
	if (holdoff_ms <= debounce_ms || holdoff_ms > CAREHUB_HOLDOFF_MS_MAX)
		return dev_err_probe(dev, -EINVAL,
				     "carehub,holdoff-max-ms %u not in %u..%u\n",
				     holdoff_ms, debounce_ms + 1,
				     CAREHUB_HOLDOFF_MS_MAX);

	c->chd.debounce_ns = (u64)debounce_ms * NSEC_PER_MSEC;
	c->chd.holdoff_max_ns = (u64)holdoff_ms * NSEC_PER_MSEC;
	return 0;
}

static int carehub_contact_probe(struct platform_device *pdev)
{
	const struct carehub_contact_pdata *pdata = dev_get_platdata(&pdev->dev);
	struct device *dev = &pdev->dev;
	struct carehub_contact *c;
	struct iio_dev *indio_dev;
	int irq, level, ret;

	indio_dev = devm_iio_device_alloc(dev, sizeof(*c));
	if (!indio_dev) {
		ret = -ENOMEM;
		goto out;
	}
	c = iio_priv(indio_dev);
	c->dev = dev;
	c->indio_dev = indio_dev;
	c->iio_events_on = true;
	spin_lock_init(&c->lock);
	INIT_WORK(&c->work, carehub_contact_work);
	INIT_DELAYED_WORK(&c->verify, carehub_contact_verify);
	carehub_hrtimer_setup(&c->timer, carehub_contact_timer,
			      CLOCK_BOOTTIME, HRTIMER_MODE_ABS);

	ret = carehub_contact_parse(c);
	if (ret)
		goto out;

	c->gpio = devm_gpiod_get(dev, NULL, GPIOD_IN);
	if (IS_ERR(c->gpio)) {
		ret = dev_err_probe(dev, PTR_ERR(c->gpio),
				    "cannot get the GPIO line\n");
		goto out;
	}
	gpiod_set_consumer_name(c->gpio, c->sensor.label);
	ret = carehub_contact_bias(c);
	if (ret)
		goto out;

	level = gpiod_get_value_cansleep(c->gpio);
	if (level < 0) {
		ret = dev_err_probe(dev, level, "cannot read the line\n");
		goto out;
	}
	c->verified_ns = ktime_get_boottime_ns();
	chd_init(&c->chd, c->chd.debounce_ns, c->chd.holdoff_max_ns, level,
		 c->verified_ns);

	/* First: the SENSOR_DEL goes out after everything else stopped. */
	ret = devm_carehub_sensor_prepare(dev, &c->sensor);
	if (ret)
		goto out;

	irq = gpiod_to_irq(c->gpio);
	if (irq < 0) {
		ret = dev_err_probe(dev, irq, "the line cannot interrupt\n");
		goto out;
	}
	c->irq = irq;
	ret = devm_request_any_context_irq(dev, irq, carehub_contact_isr,
					   IRQF_TRIGGER_RISING |
					   IRQF_TRIGGER_FALLING,
					   dev_name(dev), c);
	if (ret < 0) {
		dev_err_probe(dev, ret, "cannot request IRQ %d\n", irq);
		goto out;
	}
	/* After the IRQ: stops the work, then the IRQ is freed. */
	ret = devm_add_action_or_reset(dev, carehub_contact_stop, c);
	if (ret)
		goto out;
	ret = carehub_contact_wakeup(c, irq);
	if (ret)
		goto out;

	indio_dev->name = devm_kasprintf(dev, GFP_KERNEL, "carehub-%s",
					 carehub_kind_name(c->sensor.kind));
	if (!indio_dev->name) {
		ret = -ENOMEM;
		goto out;
	}
	indio_dev->label = c->sensor.label;
	indio_dev->info = &carehub_contact_iio_info;
	indio_dev->channels = carehub_contact_channels;
	indio_dev->num_channels = ARRAY_SIZE(carehub_contact_channels);
	indio_dev->modes = INDIO_DIRECT_MODE;
	platform_set_drvdata(pdev, c);
	/* The netlink clock: event stamps are first edges as they are. */
	ret = iio_device_set_clock(indio_dev, CLOCK_BOOTTIME);
	if (ret)
		goto out;

	/* Last: user space loses access first on unbind. */
	ret = devm_iio_device_register(dev, indio_dev);
	if (ret) {
		dev_err_probe(dev, ret, "cannot register the IIO device\n");
		goto out;
	}
	carehub_contact_set_iio_ready(c, true);
	ret = devm_add_action_or_reset(dev, carehub_contact_iio_gone, c);
	if (ret)
		goto out;

	/*
	 * Announce from the work, with the level read again (an edge between
	 * the first read and the IRQ would be lost), and wait for it: the
	 * sensor is in the registry when probe returns. A failed probe
	 * therefore never shows up on netlink, and a sensor that cannot be
	 * announced fails the probe (as pads do) rather than living on in
	 * IIO only.
	 */
	carehub_contact_resync(c, true);
	flush_work(&c->work);
	if (c->announce_err) {
		ret = dev_err_probe(dev, c->announce_err,
				    "cannot announce the sensor\n");
		goto out;
	}
	if (c->verify_ms)
		queue_delayed_work(system_freezable_wq, &c->verify,
				   msecs_to_jiffies(c->verify_ms));
	carehub_contact_debugfs(c);
out:
	if (ret && pdata && pdata->probe_err)
		*pdata->probe_err = ret;
	return ret;
}

static int carehub_contact_resume(struct device *dev)
{
	struct carehub_contact *c = dev_get_drvdata(dev);

	/* Edges may have been missed while asleep. */
	carehub_contact_resync(c, false);
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(carehub_contact_pm, NULL,
				carehub_contact_resume);

static const struct of_device_id carehub_contact_of_match[] = {
	{ .compatible = "carehub,contact" },
	{ }
};
MODULE_DEVICE_TABLE(of, carehub_contact_of_match);

struct platform_driver carehub_contact_driver = {
	.probe = carehub_contact_probe,
	.driver = {
		.name = CAREHUB_CONTACT_DRV_NAME,
		.of_match_table = carehub_contact_of_match,
		.pm = pm_sleep_ptr(&carehub_contact_pm),
		/* configfs needs the probe result when `live` is written. */
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
	},
};
