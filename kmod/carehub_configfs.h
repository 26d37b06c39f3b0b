/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carehub configfs internals shared by carehub_configfs.c (the item, its
 * common and contact attributes, going live) and carehub_configfs_pad.c
 * (the mattress-pad attributes and the ADC channel mapping).
 */
#ifndef _CAREHUB_CONFIGFS_H
#define _CAREHUB_CONFIGFS_H

#include <linux/configfs.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/property.h>

#include "carehub.h"

#define CAREHUB_GPIO_NAME_MAX	64
#define CAREHUB_ADC_NAME_MAX	64
#define CAREHUB_CFS_PROPS_MAX	16

struct gpiod_lookup_table;
struct iio_dev;

/* configfs `bias` of a contact: the line's bias, as DT bias-* properties. */
enum {
	CAREHUB_BIAS_AS_IS,	/* leave it as firmware or board set it */
	CAREHUB_BIAS_PULL_UP,
	CAREHUB_BIAS_PULL_DOWN,
	CAREHUB_BIAS_DISABLE,
};

/**
 * struct carehub_cfs_pad - pad settings (kind = pad)
 * @adc_device: label or name of the ADC's IIO device
 * @adc_channel: datasheet name of the ADC channel (e.g. "ch0")
 * @sample_rate_hz: sampling rate
 * @empty_level: raw level of the empty bed
 * @occupied_level: raw level with the person lying on it
 * @enter_percent: rise threshold, percent of empty..occupied
 * @leave_percent: fall threshold, percent of empty..occupied
 * @enter_ms: hold time before "occupied"
 * @leave_ms: hold time before "empty"
 * @stuck_ms: flat time before the stuck fault (0 = never)
 * @stuck_delta: largest max-min that still counts as flat
 * @offline_ms: failing time before the offline fault
 * @adc: the provider while its map is registered (during probe)
 * @map: the IIO map handed to the provider
 */
struct carehub_cfs_pad {
	char adc_device[CAREHUB_ADC_NAME_MAX];
	char adc_channel[CAREHUB_ADC_NAME_MAX];
	u32 sample_rate_hz;
	s32 empty_level;
	s32 occupied_level;
	u32 enter_percent;
	u32 leave_percent;
	u32 enter_ms;
	u32 leave_ms;
	u32 stuck_ms;
	u32 stuck_delta;
	u32 offline_ms;
	struct iio_dev *adc;
	struct iio_map *map;
};

/**
 * struct carehub_cfs_sensor - a sensor declared through configfs
 * @item: configfs item; its name is the sensor name
 * @lock: protects everything below
 * @kind: sensor kind
 * @label: operator's label; empty = the item name
 * @gpio_chip: label of the GPIO chip (contacts)
 * @gpio_line: line offset on @gpio_chip, or a line name (contacts)
 * @active_low: the line reads low when closed/pressed/occupied (contacts)
 * @debounce_ms: debounce period (contacts)
 * @holdoff_max_ms: longest burst before a chatter fault (contacts)
 * @verify_ms: periodic re-read of the line, 0 = off (contacts)
 * @bias: CAREHUB_BIAS_* (contacts)
 * @wakeup: the contact wakes the system (sos contacts always do)
 * @pad: pad settings
 * @id: platform device id
 * @pdev: the live device, NULL when not live
 * @swnode: its properties
 * @lookup: its GPIO lookup table (contacts)
 * @probe_err: error stored by the driver's probe
 * @bus_nb: platform bus notifier, registered while going live
 * @dev_name: name of the platform device being registered
 * @bound: the bus said the driver bound to it (and did not unbind since)
 */
struct carehub_cfs_sensor {
	struct config_item item;
	struct mutex lock; /* see above */
	enum carehub_kind kind;
	char label[CAREHUB_LABEL_MAX];
	char gpio_chip[CAREHUB_GPIO_NAME_MAX];
	char gpio_line[CAREHUB_GPIO_NAME_MAX];
	u32 active_low;
	u32 debounce_ms;
	u32 holdoff_max_ms;
	u32 verify_ms;
	int bias;
	u32 wakeup;
	struct carehub_cfs_pad pad;
	int id;
	struct platform_device *pdev;
	struct fwnode_handle *swnode;
	struct gpiod_lookup_table *lookup;
	int probe_err;
	struct notifier_block bus_nb;
	char dev_name[32];
	bool bound;
};

static inline struct carehub_cfs_sensor *to_cfs_sensor(struct config_item *item)
{
	return container_of(item, struct carehub_cfs_sensor, item);
}

#define cfs_err(s, fmt, ...) \
	pr_err("carehub: sensor '%s': " fmt "\n", \
	       config_item_name(&(s)->item), ##__VA_ARGS__)

/* carehub_configfs.c: helpers for attributes */
int carehub_cfs_copy(struct carehub_cfs_sensor *s, const char *what,
		     char *dst, size_t size, const char *page, size_t count);
ssize_t carehub_cfs_store(struct config_item *item, const char *page,
			  size_t count,
			  int (*fn)(struct carehub_cfs_sensor *s,
				    const char *page, size_t count));
ssize_t carehub_cfs_show_str(struct config_item *item, const char *field,
			     char *page);
ssize_t carehub_cfs_show_u32(struct config_item *item, const u32 *field,
			     char *page);
int carehub_cfs_parse_u32(struct carehub_cfs_sensor *s, const char *what,
			  const char *page, u32 min, u32 max, u32 *field);

/* carehub_configfs_pad.c */
extern struct configfs_attribute *carehub_cfs_pad_attrs[];
void carehub_cfs_pad_defaults(struct carehub_cfs_pad *pad);
int carehub_cfs_pad_props(struct carehub_cfs_sensor *s,
			  struct property_entry *props, int n);
int carehub_cfs_pad_map(struct carehub_cfs_sensor *s);
void carehub_cfs_pad_unmap(struct carehub_cfs_sensor *s);

#endif /* _CAREHUB_CONFIGFS_H */
