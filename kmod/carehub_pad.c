// SPDX-License-Identifier: GPL-2.0
/*
 * carehub mattress pads: a pressure pad read through an ADC's IIO channel
 * (IIO consumer API: HX711, ADS1115, ...), sampled at 10-250 Hz, offered
 * as a buffered IIO waveform (raw + scale + soft timestamp) and turned into
 * a debounced bed occupancy (carehub_occupancy.c) reported like a contact:
 * IIO threshold events and carehub netlink notifications.
 *
 * Sampling runs in a kthread that sleeps on an absolute CLOCK_BOOTTIME
 * deadline (no drift, no jiffies rounding) and may sleep in the ADC read,
 * as I2C and SPI ADCs do. It runs for as long as the pad is bound, whether
 * or not anyone reads the buffer: occupancy is the safety function (bed
 * exit at night) and must not depend on a reader being there. The same
 * thread sends every notification of the pad, so they leave in order.
 */
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/iio/buffer.h>
#include <linux/iio/consumer.h>
#include <linux/iio/events.h>
#include <linux/iio/iio.h>
#include <linux/iio/kfifo_buf.h>
#include <linux/iio/sysfs.h>
#include <linux/kthread.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/sched.h>

#include "carehub.h"
#include "carehub_compat.h"
#include "carehub_occupancy.h"

/**
 * struct carehub_pad - one mattress pad
 * @sensor: registry entry
 * @dev: the platform device
 * @indio_dev: the IIO device this is the private data of
 * @chan: the ADC channel (IIO consumer)
 * @thread: the sampling thread
 * @lock: protects everything below
 * @cho: occupancy state
 * @rate_hz: sampling rate
 * @enter_pct: rise threshold, percent of empty..occupied
 * @leave_pct: fall threshold, percent of empty..occupied
 * @empty_level: calibrated raw level of the empty bed
 * @occupied_level: calibrated raw level of the bed with its person
 * @overruns: wake-ups more than one period late
 * @missed: sample deadlines skipped by those late wake-ups
 * @iio_events_on: IIO threshold events enabled
 */
struct carehub_pad {
	struct carehub_sensor sensor;
	struct device *dev;
	struct iio_dev *indio_dev;
	struct iio_channel *chan;
	struct task_struct *thread;
	struct mutex lock; /* see above */
	struct cho cho;
	u32 rate_hz;
	u32 enter_pct;
	u32 leave_pct;
	s32 empty_level;
	s32 occupied_level;
	u64 overruns;
	u64 missed;
	bool iio_events_on;
};

/* Caller holds p->lock. */
static void carehub_pad_snapshot(const struct carehub_pad *p,
				 struct carehub_state *st)
{
	const struct cho *o = &p->cho;

	*st = (struct carehub_state){
		.level = o->level,
		.faults = o->faults,
		.first_edge_ns = o->first_cross_ns,
		.settle_ns = o->settle_ns,
		.edges = o->crossings,
		.glitches = o->glitches,
		.debounce_ms = div_u64(o->cfg.enter_ns, NSEC_PER_MSEC),
		.holdoff_max_ms = div_u64(o->cfg.leave_ns, NSEC_PER_MSEC),
	};
}

/* Thresholds from the calibration. Caller holds p->lock or owns p. */
static void carehub_pad_thresholds(const struct carehub_pad *p,
				   struct cho_cfg *cfg)
{
	s64 span = (s64)p->occupied_level - p->empty_level;

	cfg->rise = p->empty_level + div_s64(span * p->enter_pct, 100);
	cfg->fall = p->empty_level + div_s64(span * p->leave_pct, 100);
}

/* One buffered sample: the raw value, padding, the soft timestamp. */
struct carehub_pad_scan {
	s32 raw;
	u32 pad;
	s64 ts;
};

static void carehub_pad_push_event(struct carehub_pad *p,
				   const struct carehub_state *st)
{
	enum iio_event_direction dir;
	s64 age;

	dir = st->level ? IIO_EV_DIR_RISING : IIO_EV_DIR_FALLING;
	age = ktime_get_boottime_ns() - st->first_edge_ns;
	iio_push_event(p->indio_dev,
		       IIO_UNMOD_EVENT_CODE(IIO_VOLTAGE, 0, IIO_EV_TYPE_THRESH,
					    dir),
		       iio_get_time_ns(p->indio_dev) - age);
}

/* One sample: read, decide, buffer, report. */
static void carehub_pad_sample(struct carehub_pad *p)
{
	struct carehub_pad_scan scan = {};
	struct carehub_state st;
	u32 act, reason = 0;
	bool iio_on;
	int raw, ret;
	u64 now;

	ret = iio_read_channel_raw(p->chan, &raw);
	now = ktime_get_boottime_ns();

	mutex_lock(&p->lock);
	act = ret < 0 ? cho_error(&p->cho, now) : cho_sample(&p->cho, now, raw);
	carehub_pad_snapshot(p, &st);
	iio_on = p->iio_events_on;
	mutex_unlock(&p->lock);

	if (ret >= 0 && iio_buffer_enabled(p->indio_dev)) {
		scan.raw = raw;
		iio_push_to_buffers_with_timestamp(p->indio_dev, &scan,
						   iio_get_time_ns(p->indio_dev));
	}
	if (act & CHO_REPORT_STATE) {
		reason |= CAREHUB_REASON_STATE;
		if (iio_on)
			carehub_pad_push_event(p, &st);
	}
	if (act & CHO_REPORT_FAULT)
		reason |= CAREHUB_REASON_FAULT;
	if (reason)
		carehub_sensor_publish(&p->sensor, &st, reason);
}

static int carehub_pad_thread(void *data)
{
	struct carehub_pad *p = data;
	u64 next = ktime_get_boottime_ns();

	while (!kthread_should_stop()) {
		u64 period, now;
		ktime_t t;

		mutex_lock(&p->lock);
		period = div_u64(NSEC_PER_SEC, p->rate_hz);
		next += period;
		now = ktime_get_boottime_ns();
		if (now > next + period) {
			/*
			 * Deadlines passed while we were not running: take one
			 * sample now instead of a catch-up burst, and count
			 * the ones skipped, so that no gap is silent.
			 */
			p->overruns++;
			p->missed += div_u64(now - next, period);
			next = now;
		}
		mutex_unlock(&p->lock);
		t = ns_to_ktime(next);
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		schedule_hrtimeout_range_clock(&t, 0, HRTIMER_MODE_ABS,
					       CLOCK_BOOTTIME);
		if (kthread_should_stop())
			break;
		carehub_pad_sample(p);
	}
	return 0;
}

static const struct iio_event_spec carehub_pad_events[] = {
	{
		.type = IIO_EV_TYPE_THRESH,
		.dir = IIO_EV_DIR_RISING,
		.mask_separate = BIT(IIO_EV_INFO_VALUE) |
				 BIT(IIO_EV_INFO_PERIOD),
	}, {
		.type = IIO_EV_TYPE_THRESH,
		.dir = IIO_EV_DIR_FALLING,
		.mask_separate = BIT(IIO_EV_INFO_VALUE) |
				 BIT(IIO_EV_INFO_PERIOD),
	}, {
		.type = IIO_EV_TYPE_THRESH,
		.dir = IIO_EV_DIR_EITHER,
		.mask_separate = BIT(IIO_EV_INFO_ENABLE),
	},
};

static const struct iio_chan_spec carehub_pad_channels[] = {
	{
		.type = IIO_VOLTAGE,
		.indexed = 1,
		.channel = 0,
		.info_mask_separate = BIT(IIO_CHAN_INFO_RAW) |
				      BIT(IIO_CHAN_INFO_SCALE),
		.info_mask_shared_by_all = BIT(IIO_CHAN_INFO_SAMP_FREQ),
		.scan_index = 0,
		.scan_type = {
			.sign = 's',
			.realbits = 32,
			.storagebits = 32,
		},
		.event_spec = carehub_pad_events,
		.num_event_specs = ARRAY_SIZE(carehub_pad_events),
	}, {
		/* Occupancy, as for a bed switch: 1 = occupied. */
		.type = IIO_PROXIMITY,
		.info_mask_separate = BIT(IIO_CHAN_INFO_RAW),
		.scan_index = -1,
	},
	IIO_CHAN_SOFT_TIMESTAMP(1),
};

static int carehub_pad_read_raw(struct iio_dev *indio_dev,
				const struct iio_chan_spec *chan,
				int *val, int *val2, long mask)
{
	struct carehub_pad *p = iio_priv(indio_dev);

	switch (mask) {
	case IIO_CHAN_INFO_RAW:
		mutex_lock(&p->lock);
		if (chan->type == IIO_PROXIMITY)
			*val = p->cho.level;
		else
			*val = p->cho.last_value;
		mutex_unlock(&p->lock);
		return IIO_VAL_INT;
	case IIO_CHAN_INFO_SCALE:
		return iio_read_channel_scale(p->chan, val, val2);
	case IIO_CHAN_INFO_SAMP_FREQ:
		mutex_lock(&p->lock);
		*val = p->rate_hz;
		mutex_unlock(&p->lock);
		return IIO_VAL_INT;
	default:
		return -EINVAL;
	}
}

static int carehub_pad_write_raw(struct iio_dev *indio_dev,
				 const struct iio_chan_spec *chan,
				 int val, int val2, long mask)
{
	struct carehub_pad *p = iio_priv(indio_dev);

	if (mask != IIO_CHAN_INFO_SAMP_FREQ || val2 ||
	    val < CAREHUB_PAD_RATE_MIN || val > CAREHUB_PAD_RATE_MAX)
		return -EINVAL;
	mutex_lock(&p->lock);
	p->rate_hz = val;
	mutex_unlock(&p->lock);
	return 0;
}

static int carehub_pad_read_event_config(struct iio_dev *indio_dev,
					 const struct iio_chan_spec *chan,
					 enum iio_event_type type,
					 enum iio_event_direction dir)
{
	struct carehub_pad *p = iio_priv(indio_dev);

	return READ_ONCE(p->iio_events_on);
}

static int carehub_pad_write_event_config(struct iio_dev *indio_dev,
					  const struct iio_chan_spec *chan,
					  enum iio_event_type type,
					  enum iio_event_direction dir,
					  CAREHUB_IIO_EVENT_STATE_T state)
{
	struct carehub_pad *p = iio_priv(indio_dev);

	WRITE_ONCE(p->iio_events_on, !!state);
	return 0;
}

static int carehub_pad_read_event_value(struct iio_dev *indio_dev,
					const struct iio_chan_spec *chan,
					enum iio_event_type type,
					enum iio_event_direction dir,
					enum iio_event_info info,
					int *val, int *val2)
{
	struct carehub_pad *p = iio_priv(indio_dev);
	bool rising = dir == IIO_EV_DIR_RISING;
	u64 ns;

	mutex_lock(&p->lock);
	if (info == IIO_EV_INFO_VALUE) {
		*val = rising ? p->cho.cfg.rise : p->cho.cfg.fall;
		ns = 0;
	} else {
		ns = rising ? p->cho.cfg.enter_ns : p->cho.cfg.leave_ns;
	}
	mutex_unlock(&p->lock);

	if (info == IIO_EV_INFO_VALUE)
		return IIO_VAL_INT;
	*val = div_u64_rem(div_u64(ns, NSEC_PER_USEC), USEC_PER_SEC, val2);
	return IIO_VAL_INT_PLUS_MICRO;
}

static int carehub_pad_write_event_value(struct iio_dev *indio_dev,
					 const struct iio_chan_spec *chan,
					 enum iio_event_type type,
					 enum iio_event_direction dir,
					 enum iio_event_info info,
					 int val, int val2)
{
	struct carehub_pad *p = iio_priv(indio_dev);
	bool rising = dir == IIO_EV_DIR_RISING;
	struct cho_cfg cfg;
	int ret = 0;

	mutex_lock(&p->lock);
	cfg = p->cho.cfg;
	if (info == IIO_EV_INFO_VALUE) {
		if (rising)
			cfg.rise = val;
		else
			cfg.fall = val;
	} else if (val < 0 || val2 < 0 || val2 % USEC_PER_MSEC ||
		   val > CAREHUB_PAD_HOLD_MS_MAX / MSEC_PER_SEC) {
		ret = -EINVAL;
	} else {
		u64 ns = (u64)val * NSEC_PER_SEC + (u64)val2 * NSEC_PER_USEC;

		if (rising)
			cfg.enter_ns = ns;
		else
			cfg.leave_ns = ns;
	}
	if (!ret && cho_check_cfg(&cfg))
		ret = -EINVAL;	/* rise must stay above fall */
	if (!ret)
		cho_set_cfg(&p->cho, &cfg);
	mutex_unlock(&p->lock);
	return ret;
}

static ssize_t carehub_pad_show(struct device *dev, char *buf,
				const char *fmt, const void *field, bool s)
{
	struct carehub_pad *p = iio_priv(dev_to_iio_dev(dev));
	ssize_t ret;

	mutex_lock(&p->lock);
	if (s)
		ret = sysfs_emit(buf, fmt, *(const s32 *)field);
	else
		ret = sysfs_emit(buf, fmt, *(const u64 *)field);
	mutex_unlock(&p->lock);
	return ret;
}

#define CAREHUB_PAD_RO_U64(_name, _field)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct carehub_pad *p = iio_priv(dev_to_iio_dev(dev));		\
									\
	return carehub_pad_show(dev, buf, "%llu\n", &p->cho._field, false); \
}									\
static DEVICE_ATTR_RO(_name)

CAREHUB_PAD_RO_U64(sample_count, samples);
CAREHUB_PAD_RO_U64(error_count, errors);
CAREHUB_PAD_RO_U64(crossing_count, crossings);
CAREHUB_PAD_RO_U64(glitch_count, glitches);

static ssize_t overrun_count_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct carehub_pad *p = iio_priv(dev_to_iio_dev(dev));

	return carehub_pad_show(dev, buf, "%llu\n", &p->overruns, false);
}
static DEVICE_ATTR_RO(overrun_count);

static ssize_t missed_count_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct carehub_pad *p = iio_priv(dev_to_iio_dev(dev));

	return carehub_pad_show(dev, buf, "%llu\n", &p->missed, false);
}
static DEVICE_ATTR_RO(missed_count);

static ssize_t carehub_pad_store_level(struct device *dev, const char *buf,
				       size_t len, bool occupied)
{
	struct carehub_pad *p = iio_priv(dev_to_iio_dev(dev));
	struct cho_cfg cfg;
	s32 v, old;
	int ret;

	ret = kstrtos32(buf, 10, &v);
	if (ret)
		return ret;

	mutex_lock(&p->lock);
	old = occupied ? p->occupied_level : p->empty_level;
	if (occupied)
		p->occupied_level = v;
	else
		p->empty_level = v;
	cfg = p->cho.cfg;
	carehub_pad_thresholds(p, &cfg);
	ret = cho_check_cfg(&cfg) ? -EINVAL : 0;
	if (ret) {
		/* Occupied must stay above empty. */
		if (occupied)
			p->occupied_level = old;
		else
			p->empty_level = old;
	} else {
		cho_set_cfg(&p->cho, &cfg);
	}
	mutex_unlock(&p->lock);
	return ret ?: len;
}

static ssize_t empty_level_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct carehub_pad *p = iio_priv(dev_to_iio_dev(dev));

	return carehub_pad_show(dev, buf, "%d\n", &p->empty_level, true);
}

static ssize_t empty_level_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t len)
{
	return carehub_pad_store_level(dev, buf, len, false);
}
static DEVICE_ATTR_RW(empty_level);

static ssize_t occupied_level_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct carehub_pad *p = iio_priv(dev_to_iio_dev(dev));

	return carehub_pad_show(dev, buf, "%d\n", &p->occupied_level, true);
}

static ssize_t occupied_level_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t len)
{
	return carehub_pad_store_level(dev, buf, len, true);
}
static DEVICE_ATTR_RW(occupied_level);

static ssize_t fault_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct carehub_pad *p = iio_priv(dev_to_iio_dev(dev));
	u32 f;

	mutex_lock(&p->lock);
	f = p->cho.faults;
	mutex_unlock(&p->lock);
	if (!f)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%s%s%s\n",
			  f & CHO_FAULT_STUCK ? "stuck" : "",
			  (f & CHO_FAULT_STUCK) && (f & CHO_FAULT_OFFLINE) ?
			  " " : "",
			  f & CHO_FAULT_OFFLINE ? "offline" : "");
}
static DEVICE_ATTR_RO(fault);

static ssize_t kind_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "pad\n");
}
static DEVICE_ATTR_RO(kind);

static ssize_t sensor_id_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct carehub_pad *p = iio_priv(dev_to_iio_dev(dev));

	return sysfs_emit(buf, "%u\n", READ_ONCE(p->sensor.id));
}
static DEVICE_ATTR_RO(sensor_id);

static struct attribute *carehub_pad_attrs[] = {
	&dev_attr_kind.attr,
	&dev_attr_sensor_id.attr,
	&dev_attr_fault.attr,
	&dev_attr_empty_level.attr,
	&dev_attr_occupied_level.attr,
	&dev_attr_sample_count.attr,
	&dev_attr_error_count.attr,
	&dev_attr_crossing_count.attr,
	&dev_attr_glitch_count.attr,
	&dev_attr_overrun_count.attr,
	&dev_attr_missed_count.attr,
	NULL
};

static const struct attribute_group carehub_pad_attr_group = {
	.attrs = carehub_pad_attrs,
};

static const struct iio_info carehub_pad_iio_info = {
	.read_raw = carehub_pad_read_raw,
	.write_raw = carehub_pad_write_raw,
	.read_event_config = carehub_pad_read_event_config,
	.write_event_config = carehub_pad_write_event_config,
	.read_event_value = carehub_pad_read_event_value,
	.write_event_value = carehub_pad_write_event_value,
	.attrs = &carehub_pad_attr_group,
};

static void carehub_pad_stop(void *data)
{
	kthread_stop(data);
}

static int carehub_pad_parse(struct carehub_pad *p, struct cho_cfg *cfg)
{
	struct device *dev = p->dev;
	struct carehub_sensor *s = &p->sensor;
	u32 enter_ms = CAREHUB_PAD_ENTER_MS_DEFAULT;
	u32 leave_ms = CAREHUB_PAD_LEAVE_MS_DEFAULT;
	u32 stuck_ms = CAREHUB_PAD_STUCK_MS_DEFAULT;
	u32 offline_ms = CAREHUB_PAD_OFFLINE_MS_DEFAULT;
	u32 stuck_delta = 0;
	int ret;

	ret = carehub_sensor_parse_names(dev, s);
	if (ret)
		return ret;
	s->kind = CAREHUB_KIND_PAD;

	p->rate_hz = CAREHUB_PAD_RATE_DEFAULT;
	p->enter_pct = 60;
	p->leave_pct = 40;
	device_property_read_u32(dev, "carehub,sample-rate-hz", &p->rate_hz);
	device_property_read_u32(dev, "carehub,enter-percent", &p->enter_pct);
	device_property_read_u32(dev, "carehub,leave-percent", &p->leave_pct);
	device_property_read_u32(dev, "carehub,enter-ms", &enter_ms);
	device_property_read_u32(dev, "carehub,leave-ms", &leave_ms);
	device_property_read_u32(dev, "carehub,stuck-ms", &stuck_ms);
	device_property_read_u32(dev, "carehub,stuck-delta", &stuck_delta);
	device_property_read_u32(dev, "carehub,offline-ms", &offline_ms);
	if (device_property_read_u32(dev, "carehub,empty-level",
				     (u32 *)&p->empty_level) ||
	    device_property_read_u32(dev, "carehub,occupied-level",
				     (u32 *)&p->occupied_level))
		return dev_err_probe(dev, -EINVAL,
				     "carehub,empty-level and carehub,occupied-level are required\n");

	if (p->rate_hz < CAREHUB_PAD_RATE_MIN ||
	    p->rate_hz > CAREHUB_PAD_RATE_MAX)
		return dev_err_probe(dev, -EINVAL,
				     "sample rate %u Hz not in %u..%u\n",
				     p->rate_hz, CAREHUB_PAD_RATE_MIN,
				     CAREHUB_PAD_RATE_MAX);
	if (p->leave_pct >= p->enter_pct || p->enter_pct > 100)
		return dev_err_probe(dev, -EINVAL,
				     "need leave-percent %u < enter-percent %u <= 100\n",
				     p->leave_pct, p->enter_pct);
	if (enter_ms > CAREHUB_PAD_HOLD_MS_MAX ||
	    leave_ms > CAREHUB_PAD_HOLD_MS_MAX)
		return dev_err_probe(dev, -EINVAL, "hold times above %u ms\n",
				     CAREHUB_PAD_HOLD_MS_MAX);

	*cfg = (struct cho_cfg){
		.enter_ns = (u64)enter_ms * NSEC_PER_MSEC,
		.leave_ns = (u64)leave_ms * NSEC_PER_MSEC,
		.stuck_ns = (u64)stuck_ms * NSEC_PER_MSEC,
		.stuck_delta = stuck_delta,
		.offline_ns = (u64)offline_ms * NSEC_PER_MSEC,
	};
	carehub_pad_thresholds(p, cfg);
	if (cho_check_cfg(cfg))
		return dev_err_probe(dev, -EINVAL,
				     "occupied level %d must be above empty level %d\n",
				     p->occupied_level, p->empty_level);
	return 0;
}

static int carehub_pad_probe(struct platform_device *pdev)
{
	const struct carehub_contact_pdata *pdata = dev_get_platdata(&pdev->dev);
	struct device *dev = &pdev->dev;
	struct carehub_state st;
	struct iio_dev *indio_dev;
	struct carehub_pad *p;
	struct cho_cfg cfg;
	enum iio_chan_type type;
	int raw, ret;

	indio_dev = devm_iio_device_alloc(dev, sizeof(*p));
	if (!indio_dev) {
		ret = -ENOMEM;
		goto out;
	}
	p = iio_priv(indio_dev);
	p->dev = dev;
	p->indio_dev = indio_dev;
	p->iio_events_on = true;
	mutex_init(&p->lock);

	ret = carehub_pad_parse(p, &cfg);
	if (ret)
		goto out;

	p->chan = devm_iio_channel_get(dev, "pressure");
	if (IS_ERR(p->chan)) {
		ret = dev_err_probe(dev, PTR_ERR(p->chan),
				    "cannot get the ADC channel 'pressure'\n");
		goto out;
	}
	ret = iio_get_channel_type(p->chan, &type);
	if (ret || type != IIO_VOLTAGE) {
		ret = dev_err_probe(dev, ret ?: -EINVAL,
				    "the ADC channel is not a voltage\n");
		goto out;
	}

	/* A pad unplugged at install time still gets a sensor: offline. */
	ret = iio_read_channel_raw(p->chan, &raw);
	cho_init(&p->cho, &cfg, ret < 0 ? cfg.fall - 1 : raw,
		 ktime_get_boottime_ns());
	if (ret < 0)
		cho_error(&p->cho, ktime_get_boottime_ns());

	/* First: the SENSOR_DEL goes out after the thread has stopped. */
	ret = devm_carehub_sensor_prepare(dev, &p->sensor);
	if (ret)
		goto out;

	indio_dev->name = "carehub-pad";
	indio_dev->label = p->sensor.label;
	indio_dev->info = &carehub_pad_iio_info;
	indio_dev->channels = carehub_pad_channels;
	indio_dev->num_channels = ARRAY_SIZE(carehub_pad_channels);
	indio_dev->modes = INDIO_DIRECT_MODE;
	ret = devm_iio_kfifo_buffer_setup(dev, indio_dev, NULL);
	if (ret) {
		dev_err_probe(dev, ret, "cannot set up the IIO buffer\n");
		goto out;
	}
	ret = devm_iio_device_register(dev, indio_dev);
	if (ret) {
		dev_err_probe(dev, ret, "cannot register the IIO device\n");
		goto out;
	}

	mutex_lock(&p->lock);
	carehub_pad_snapshot(p, &st);
	mutex_unlock(&p->lock);
	ret = carehub_sensor_announce(&p->sensor, &st);
	if (ret) {
		dev_err_probe(dev, ret, "cannot announce the sensor\n");
		goto out;
	}

	p->thread = kthread_run(carehub_pad_thread, p, "carehub-pad/%s",
				p->sensor.name);
	if (IS_ERR(p->thread)) {
		ret = dev_err_probe(dev, PTR_ERR(p->thread),
				    "cannot start sampling\n");
		goto out;
	}
	ret = devm_add_action_or_reset(dev, carehub_pad_stop, p->thread);
out:
	if (ret && pdata && pdata->probe_err)
		*pdata->probe_err = ret;
	return ret;
}

static const struct of_device_id carehub_pad_of_match[] = {
	{ .compatible = "carehub,pad" },
	{ }
};
MODULE_DEVICE_TABLE(of, carehub_pad_of_match);

struct platform_driver carehub_pad_driver = {
	.probe = carehub_pad_probe,
	.driver = {
		.name = CAREHUB_PAD_DRV_NAME,
		.of_match_table = carehub_pad_of_match,
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
	},
};
