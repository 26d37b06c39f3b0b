// SPDX-License-Identifier: GPL-2.0
/*
 * carehub mattress pads: the IIO device - the waveform channel with its
 * occupancy threshold events, the occupancy channel, sampling_frequency,
 * calibration and counters. See docs/kernel-abi.md, section 5.
 */
#include <linux/iio/buffer.h>
#include <linux/iio/events.h>
#include <linux/iio/iio.h>
#include <linux/iio/sysfs.h>
#include <linux/iio/consumer.h>
#include <linux/kernel.h>

#include "carehub_compat.h"
#include "carehub_pad.h"

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

const struct iio_chan_spec carehub_pad_channels[CAREHUB_PAD_NUM_CHANNELS] = {
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
	/* Not faster than the ADC converts (p->adc_hz is set at probe). */
	if (p->adc_hz && val > p->adc_hz)
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
		/* Raw ADC counts: a fraction is not silently dropped. */
		if (val2)
			ret = -EINVAL;
		else if (rising)
			cfg.rise = val;
		else
			cfg.fall = val;
	} else if (val < 0 || val2 < 0 || val2 % USEC_PER_MSEC ||
		   val > CAREHUB_PAD_HOLD_MS_MAX / MSEC_PER_SEC) {
		ret = -EINVAL;
	} else {
		u64 ns = (u64)val * NSEC_PER_SEC + (u64)val2 * NSEC_PER_USEC;

		/* At most the documented 600 s, not 600.999 s. */
		if (ns > (u64)CAREHUB_PAD_HOLD_MS_MAX * NSEC_PER_MSEC)
			ret = -EINVAL;
		else if (rising)
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
static CAREHUB_DEVICE_ATTR_PRIVATE(_name)

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
static CAREHUB_DEVICE_ATTR_PRIVATE(overrun_count);

static ssize_t missed_count_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct carehub_pad *p = iio_priv(dev_to_iio_dev(dev));

	return carehub_pad_show(dev, buf, "%llu\n", &p->missed, false);
}
static CAREHUB_DEVICE_ATTR_PRIVATE(missed_count);

static ssize_t dropped_count_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct carehub_pad *p = iio_priv(dev_to_iio_dev(dev));

	return carehub_pad_show(dev, buf, "%llu\n", &p->dropped, false);
}
static CAREHUB_DEVICE_ATTR_PRIVATE(dropped_count);

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
static CAREHUB_DEVICE_ATTR_PRIVATE_RW(empty_level);

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
static CAREHUB_DEVICE_ATTR_PRIVATE_RW(occupied_level);

static ssize_t fault_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct carehub_pad *p = iio_priv(dev_to_iio_dev(dev));
	u32 faults;

	mutex_lock(&p->lock);
	faults = p->cho.faults;	/* the CAREHUB_FAULT_* values */
	mutex_unlock(&p->lock);
	return carehub_faults_emit(buf, faults);
}
static CAREHUB_DEVICE_ATTR_PRIVATE(fault);

/* The shared attributes (carehub_sensor.c) find the sensor at iio_priv(). */
static_assert(offsetof(struct carehub_pad, sensor) == 0);

static struct attribute *carehub_pad_attrs[] = {
	&carehub_dev_attr_kind.attr,
	&carehub_dev_attr_sensor_id.attr,
	&dev_attr_fault.attr,
	&dev_attr_empty_level.attr,
	&dev_attr_occupied_level.attr,
	&dev_attr_sample_count.attr,
	&dev_attr_error_count.attr,
	&dev_attr_crossing_count.attr,
	&dev_attr_glitch_count.attr,
	&dev_attr_overrun_count.attr,
	&dev_attr_missed_count.attr,
	&dev_attr_dropped_count.attr,
	NULL
};

static const struct attribute_group carehub_pad_attr_group = {
	.attrs = carehub_pad_attrs,
};

static void carehub_pad_set_buffer_on(struct iio_dev *indio_dev, bool on)
{
	struct carehub_pad *p = iio_priv(indio_dev);

	mutex_lock(&p->lock);
	p->buffer_on = on;
	mutex_unlock(&p->lock);
}

/*
 * The sampling thread pushes only between these two (both run under the
 * IIO device's mlock): before postenable and after predisable, IIO frees
 * and rebuilds the demux, the scan mask and the kfifo.
 */
static int carehub_pad_buffer_postenable(struct iio_dev *indio_dev)
{
	carehub_pad_set_buffer_on(indio_dev, true);
	return 0;
}

static int carehub_pad_buffer_predisable(struct iio_dev *indio_dev)
{
	carehub_pad_set_buffer_on(indio_dev, false);
	return 0;
}

const struct iio_buffer_setup_ops carehub_pad_buffer_ops = {
	.postenable = carehub_pad_buffer_postenable,
	.predisable = carehub_pad_buffer_predisable,
};

const struct iio_info carehub_pad_iio_info = {
	.read_raw = carehub_pad_read_raw,
	.write_raw = carehub_pad_write_raw,
	.read_event_config = carehub_pad_read_event_config,
	.write_event_config = carehub_pad_write_event_config,
	.read_event_value = carehub_pad_read_event_value,
	.write_event_value = carehub_pad_write_event_value,
	.attrs = &carehub_pad_attr_group,
};
