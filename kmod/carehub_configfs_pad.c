// SPDX-License-Identifier: GPL-2.0
/*
 * carehub configfs: mattress-pad attributes (used when kind = pad).
 *
 * Without device tree the pad names its ADC by the provider's IIO device
 * (label, else name) and the channel's datasheet name; going live registers
 * an IIO map from that channel to the pad device for the time of its
 * probe, so the driver's ordinary devm_iio_channel_get(dev, "pressure")
 * finds it - the same call that resolves io-channels in device tree.
 */
#include <linux/device.h>
#include <linux/iio/driver.h>
#include <linux/iio/iio.h>
#include <linux/iio/machine.h>
#include <linux/kernel.h>
#include <linux/slab.h>

#include "carehub_configfs.h"

/* Maps are per provider and unregistered all at once: one at a time. */
static DEFINE_MUTEX(carehub_cfs_map_lock);

void carehub_cfs_pad_defaults(struct carehub_cfs_pad *pad)
{
	*pad = (struct carehub_cfs_pad){
		.sample_rate_hz = 0,	/* auto: what the ADC can deliver */
		.enter_percent = 60,
		.leave_percent = 40,
		.enter_ms = CAREHUB_PAD_ENTER_MS_DEFAULT,
		.leave_ms = CAREHUB_PAD_LEAVE_MS_DEFAULT,
		.stuck_ms = CAREHUB_PAD_STUCK_MS_DEFAULT,
		.offline_ms = CAREHUB_PAD_OFFLINE_MS_DEFAULT,
	};
}

enum carehub_cfs_pad_type { CFS_STR, CFS_U32, CFS_S32 };

/* One pad attribute: where it lives in struct carehub_cfs_pad, its range. */
struct carehub_cfs_pad_desc {
	const char *name;
	size_t off;
	enum carehub_cfs_pad_type type;
	s64 min;
	s64 max;	/* CFS_STR: the buffer size */
};

#define CFS_PAD(_f, _t, _min, _max) {					\
	.name = #_f, .off = offsetof(struct carehub_cfs_pad, _f),	\
	.type = _t, .min = _min, .max = _max }

enum {
	CFS_PAD_adc_device, CFS_PAD_adc_channel, CFS_PAD_sample_rate_hz,
	CFS_PAD_empty_level, CFS_PAD_occupied_level, CFS_PAD_enter_percent,
	CFS_PAD_leave_percent, CFS_PAD_enter_ms, CFS_PAD_leave_ms,
	CFS_PAD_stuck_ms, CFS_PAD_stuck_delta, CFS_PAD_offline_ms,
};

static const struct carehub_cfs_pad_desc carehub_cfs_pad_descs[] = {
	[CFS_PAD_adc_device] = CFS_PAD(adc_device, CFS_STR, 0,
				       CAREHUB_ADC_NAME_MAX),
	[CFS_PAD_adc_channel] = CFS_PAD(adc_channel, CFS_STR, 0,
					CAREHUB_ADC_NAME_MAX),
	[CFS_PAD_sample_rate_hz] = CFS_PAD(sample_rate_hz, CFS_U32, 0,
					   CAREHUB_PAD_RATE_MAX),
	[CFS_PAD_empty_level] = CFS_PAD(empty_level, CFS_S32, S32_MIN,
					S32_MAX),
	[CFS_PAD_occupied_level] = CFS_PAD(occupied_level, CFS_S32, S32_MIN,
					   S32_MAX),
	[CFS_PAD_enter_percent] = CFS_PAD(enter_percent, CFS_U32, 1, 100),
	[CFS_PAD_leave_percent] = CFS_PAD(leave_percent, CFS_U32, 0, 99),
	[CFS_PAD_enter_ms] = CFS_PAD(enter_ms, CFS_U32, 0,
				     CAREHUB_PAD_HOLD_MS_MAX),
	[CFS_PAD_leave_ms] = CFS_PAD(leave_ms, CFS_U32, 0,
				     CAREHUB_PAD_HOLD_MS_MAX),
	[CFS_PAD_stuck_ms] = CFS_PAD(stuck_ms, CFS_U32, 0,
				     CAREHUB_PAD_HOLD_MS_MAX),
	[CFS_PAD_stuck_delta] = CFS_PAD(stuck_delta, CFS_U32, 0, S32_MAX),
	[CFS_PAD_offline_ms] = CFS_PAD(offline_ms, CFS_U32, 0,
				       CAREHUB_PAD_HOLD_MS_MAX),
};

static ssize_t carehub_cfs_pad_show(struct config_item *item, char *page,
				    int f)
{
	const struct carehub_cfs_pad_desc *d = &carehub_cfs_pad_descs[f];
	struct carehub_cfs_sensor *s = to_cfs_sensor(item);
	void *field = (char *)&s->pad + d->off;
	ssize_t ret;

	mutex_lock(&s->lock);
	switch (d->type) {
	case CFS_STR:
		ret = sysfs_emit(page, "%s\n", (char *)field);
		break;
	case CFS_U32:
		ret = sysfs_emit(page, "%u\n", *(u32 *)field);
		break;
	case CFS_S32:
		ret = sysfs_emit(page, "%d\n", *(s32 *)field);
		break;
	}
	mutex_unlock(&s->lock);
	return ret;
}

static ssize_t carehub_cfs_pad_store(struct config_item *item,
				     const char *page, size_t count, int f)
{
	const struct carehub_cfs_pad_desc *d = &carehub_cfs_pad_descs[f];
	struct carehub_cfs_sensor *s = to_cfs_sensor(item);
	void *field = (char *)&s->pad + d->off;
	int ret = 0;
	s32 v;

	mutex_lock(&s->lock);
	if (s->pdev) {
		cfs_err(s, "is live: write 0 to live first");
		ret = -EBUSY;
	} else if (d->type == CFS_STR) {
		ret = carehub_cfs_copy(s, d->name, field, d->max, page, count);
	} else if (kstrtos32(page, 10, &v) || v < d->min || v > d->max ||
		   (d->type == CFS_U32 && v < 0)) {
		cfs_err(s, "%s must be a decimal number in %lld..%lld",
			d->name, d->min, d->max);
		ret = -EINVAL;
	} else if (f == CFS_PAD_sample_rate_hz && v &&
		   v < CAREHUB_PAD_RATE_MIN) {
		cfs_err(s, "sample_rate_hz must be 0 (auto) or in %u..%u",
			CAREHUB_PAD_RATE_MIN, CAREHUB_PAD_RATE_MAX);
		ret = -EINVAL;
	} else {
		*(s32 *)field = v;
	}
	mutex_unlock(&s->lock);
	return ret ?: count;
}

#define CAREHUB_CFS_PAD_ATTR(_name)					\
static ssize_t carehub_cfs_pad_##_name##_show(struct config_item *item,	\
					      char *page)		\
{									\
	return carehub_cfs_pad_show(item, page, CFS_PAD_##_name);	\
}									\
static ssize_t carehub_cfs_pad_##_name##_store(struct config_item *item, \
					       const char *page,	\
					       size_t count)		\
{									\
	return carehub_cfs_pad_store(item, page, count, CFS_PAD_##_name); \
}									\
static struct configfs_attribute carehub_cfs_pad_attr_##_name = {	\
	.ca_name = #_name,						\
	.ca_owner = THIS_MODULE,					\
	.ca_mode = 0644,						\
	.show = carehub_cfs_pad_##_name##_show,				\
	.store = carehub_cfs_pad_##_name##_store,			\
}

CAREHUB_CFS_PAD_ATTR(adc_device);
CAREHUB_CFS_PAD_ATTR(adc_channel);
CAREHUB_CFS_PAD_ATTR(sample_rate_hz);
CAREHUB_CFS_PAD_ATTR(empty_level);
CAREHUB_CFS_PAD_ATTR(occupied_level);
CAREHUB_CFS_PAD_ATTR(enter_percent);
CAREHUB_CFS_PAD_ATTR(leave_percent);
CAREHUB_CFS_PAD_ATTR(enter_ms);
CAREHUB_CFS_PAD_ATTR(leave_ms);
CAREHUB_CFS_PAD_ATTR(stuck_ms);
CAREHUB_CFS_PAD_ATTR(stuck_delta);
CAREHUB_CFS_PAD_ATTR(offline_ms);

struct configfs_attribute *carehub_cfs_pad_attrs[] = {
	&carehub_cfs_pad_attr_adc_device,
	&carehub_cfs_pad_attr_adc_channel,
	&carehub_cfs_pad_attr_sample_rate_hz,
	&carehub_cfs_pad_attr_empty_level,
	&carehub_cfs_pad_attr_occupied_level,
	&carehub_cfs_pad_attr_enter_percent,
	&carehub_cfs_pad_attr_leave_percent,
	&carehub_cfs_pad_attr_enter_ms,
	&carehub_cfs_pad_attr_leave_ms,
	&carehub_cfs_pad_attr_stuck_ms,
	&carehub_cfs_pad_attr_stuck_delta,
	&carehub_cfs_pad_attr_offline_ms,
	NULL
};

/**
 * carehub_cfs_pad_props() - the pad's device properties
 * @s: the sensor, kind pad, locked
 * @props: property array with @n entries used
 * @n: entries used
 *
 * Return: the new number of entries, or -EINVAL (logged).
 */
int carehub_cfs_pad_props(struct carehub_cfs_sensor *s,
			  struct property_entry *props, int n)
{
	const struct carehub_cfs_pad *pad = &s->pad;

	if (!pad->adc_device[0] || !pad->adc_channel[0]) {
		cfs_err(s, "adc_device and adc_channel must be set");
		return -EINVAL;
	}
	if (pad->occupied_level <= pad->empty_level) {
		cfs_err(s, "occupied_level (%d) must be above empty_level (%d)",
			pad->occupied_level, pad->empty_level);
		return -EINVAL;
	}
	if (pad->leave_percent >= pad->enter_percent) {
		cfs_err(s, "leave_percent (%u) must be below enter_percent (%u)",
			pad->leave_percent, pad->enter_percent);
		return -EINVAL;
	}
	if (pad->sample_rate_hz)
		props[n++] = PROPERTY_ENTRY_U32("carehub,sample-rate-hz",
						pad->sample_rate_hz);
	props[n++] = PROPERTY_ENTRY_U32("carehub,empty-level",
					(u32)pad->empty_level);
	props[n++] = PROPERTY_ENTRY_U32("carehub,occupied-level",
					(u32)pad->occupied_level);
	props[n++] = PROPERTY_ENTRY_U32("carehub,enter-percent",
					pad->enter_percent);
	props[n++] = PROPERTY_ENTRY_U32("carehub,leave-percent",
					pad->leave_percent);
	props[n++] = PROPERTY_ENTRY_U32("carehub,enter-ms", pad->enter_ms);
	props[n++] = PROPERTY_ENTRY_U32("carehub,leave-ms", pad->leave_ms);
	props[n++] = PROPERTY_ENTRY_U32("carehub,stuck-ms", pad->stuck_ms);
	props[n++] = PROPERTY_ENTRY_U32("carehub,stuck-delta",
					pad->stuck_delta);
	props[n++] = PROPERTY_ENTRY_U32("carehub,offline-ms", pad->offline_ms);
	return n;
}

static int carehub_cfs_match_adc(struct device *dev, const void *data)
{
	struct iio_dev *indio_dev;

	/* IIO triggers live on the same bus: only "iio:deviceN" are devices. */
	if (strncmp(dev_name(dev), "iio:device", 10))
		return 0;
	indio_dev = dev_to_iio_dev(dev);
	if (indio_dev->label && !strcmp(indio_dev->label, data))
		return 1;
	return indio_dev->name && !strcmp(indio_dev->name, data);
}

static bool carehub_cfs_has_channel(struct iio_dev *adc, const char *name)
{
	int i;

	for (i = 0; i < adc->num_channels; i++)
		if (adc->channels[i].datasheet_name &&
		    !strcmp(adc->channels[i].datasheet_name, name))
			return true;
	return false;
}

/**
 * carehub_cfs_pad_map() - point the pad's "pressure" at the ADC channel
 * @s: the sensor, kind pad, locked
 *
 * On success the map lock is held until carehub_cfs_pad_unmap().
 *
 * Return: 0, -ENODEV (no such ADC, logged) or -ENOMEM.
 */
int carehub_cfs_pad_map(struct carehub_cfs_sensor *s)
{
	struct carehub_cfs_pad *pad = &s->pad;
	struct device *dev;
	int ret;

	pad->map = kcalloc(2, sizeof(*pad->map), GFP_KERNEL);
	if (!pad->map)
		return -ENOMEM;
	pad->map[0].adc_channel_label = pad->adc_channel;
	pad->map[0].consumer_dev_name = kasprintf(GFP_KERNEL, "%s.%d",
						  CAREHUB_PAD_DRV_NAME, s->id);
	pad->map[0].consumer_channel = "pressure";
	if (!pad->map[0].consumer_dev_name) {
		ret = -ENOMEM;
		goto err_free;
	}

	mutex_lock(&carehub_cfs_map_lock);
	dev = bus_find_device(&iio_bus_type, NULL, pad->adc_device,
			      carehub_cfs_match_adc);
	if (!dev) {
		cfs_err(s, "no IIO device labelled or named '%s'",
			pad->adc_device);
		ret = -ENODEV;
		goto err_unlock;
	}
	pad->adc = dev_to_iio_dev(dev);
	if (!carehub_cfs_has_channel(pad->adc, pad->adc_channel)) {
		cfs_err(s, "'%s' has no channel with datasheet name '%s'",
			pad->adc_device, pad->adc_channel);
		put_device(dev);
		pad->adc = NULL;
		ret = -ENODEV;
		goto err_unlock;
	}
	ret = iio_map_array_register(pad->adc, pad->map);
	if (ret) {
		put_device(dev);
		pad->adc = NULL;
		goto err_unlock;
	}
	return 0;

err_unlock:
	mutex_unlock(&carehub_cfs_map_lock);
	kfree(pad->map[0].consumer_dev_name);
err_free:
	kfree(pad->map);
	pad->map = NULL;
	return ret;
}

/**
 * carehub_cfs_pad_unmap() - remove the map after the probe took the channel
 * @s: the sensor after a successful carehub_cfs_pad_map()
 */
void carehub_cfs_pad_unmap(struct carehub_cfs_sensor *s)
{
	struct carehub_cfs_pad *pad = &s->pad;

	iio_map_array_unregister(pad->adc);
	put_device(&pad->adc->dev);
	pad->adc = NULL;
	mutex_unlock(&carehub_cfs_map_lock);
	kfree(pad->map[0].consumer_dev_name);
	kfree(pad->map);
	pad->map = NULL;
}
