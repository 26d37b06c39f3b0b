// SPDX-License-Identifier: GPL-2.0
/*
 * carehub configfs interface: declare sensors on boards without device
 * tree, and in tests. Modelled on gpio-sim.
 *
 *   mkdir /sys/kernel/config/carehub/<name>
 *   echo door > kind; echo front-door > label
 *   echo gpio-sim.0-node0 > gpio_chip; echo 3 > gpio_line    (or a line name)
 *   echo 1 > live
 *
 * Writing 1 to `live` turns the attributes into device properties on a
 * software node, adds a GPIO lookup for the line and registers a
 * carehub-contact platform device: the same probe path as device tree.
 * While live, the other attributes are read-only (-EBUSY). Invalid values
 * are refused with -EINVAL and one line in the kernel log.
 */
#include <linux/configfs.h>
#include <linux/gpio/machine.h>
#include <linux/idr.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "carehub.h"
#include "carehub_configfs.h"

static DEFINE_IDA(carehub_cfs_ida);

/* Copy a one-line value without its trailing newline. */
int carehub_cfs_copy(struct carehub_cfs_sensor *s, const char *what,
		     char *dst, size_t size, const char *page,
		     size_t count)
{
	size_t len = strcspn(page, "\n");

	if (len >= size) {
		cfs_err(s, "%s longer than %zu characters", what, size - 1);
		return -EINVAL;
	}
	if (len + 1 < count || strcspn(page, " \t/") < len ||
	    carehub_has_control_chars(page, len)) {
		cfs_err(s, "%s must be one word without '/' or control characters on one line",
			what);
		return -EINVAL;
	}
	memcpy(dst, page, len);
	dst[len] = '\0';
	return 0;
}

/* Run @fn on the sensor unless it is live; -EBUSY then. */
ssize_t carehub_cfs_store(struct config_item *item, const char *page,
			  size_t count,
			  int (*fn)(struct carehub_cfs_sensor *s,
				    const char *page, size_t count))
{
	struct carehub_cfs_sensor *s = to_cfs_sensor(item);
	int ret;

	mutex_lock(&s->lock);
	if (s->pdev) {
		cfs_err(s, "is live: write 0 to live first");
		ret = -EBUSY;
	} else {
		ret = fn(s, page, count);
	}
	mutex_unlock(&s->lock);
	return ret ?: count;
}

static ssize_t carehub_cfs_kind_show(struct config_item *item, char *page)
{
	struct carehub_cfs_sensor *s = to_cfs_sensor(item);
	ssize_t ret;

	mutex_lock(&s->lock);
	ret = sysfs_emit(page, "%s\n", carehub_kind_name(s->kind));
	mutex_unlock(&s->lock);
	return ret;
}

static int carehub_cfs_set_kind(struct carehub_cfs_sensor *s,
				const char *page, size_t count)
{
	enum carehub_kind kind;

	if (carehub_kind_parse(page, &kind)) {
		cfs_err(s, "kind must be door, sos, bed, toilet, contact or pad");
		return -EINVAL;
	}
	s->kind = kind;
	return 0;
}

static ssize_t carehub_cfs_kind_store(struct config_item *item,
				      const char *page, size_t count)
{
	return carehub_cfs_store(item, page, count, carehub_cfs_set_kind);
}

ssize_t carehub_cfs_show_str(struct config_item *item,
			     const char *field, char *page)
{
	struct carehub_cfs_sensor *s = to_cfs_sensor(item);
	ssize_t ret;

	mutex_lock(&s->lock);
	ret = sysfs_emit(page, "%s\n", field);
	mutex_unlock(&s->lock);
	return ret;
}

ssize_t carehub_cfs_show_u32(struct config_item *item,
			     const u32 *field, char *page)
{
	struct carehub_cfs_sensor *s = to_cfs_sensor(item);
	ssize_t ret;

	mutex_lock(&s->lock);
	ret = sysfs_emit(page, "%u\n", *field);
	mutex_unlock(&s->lock);
	return ret;
}

int carehub_cfs_parse_u32(struct carehub_cfs_sensor *s,
			  const char *what, const char *page,
			  u32 min, u32 max, u32 *field)
{
	u32 v;

	if (kstrtou32(page, 10, &v) || v < min || v > max) {
		cfs_err(s, "%s must be a number in %u..%u", what, min, max);
		return -EINVAL;
	}
	*field = v;
	return 0;
}

static ssize_t carehub_cfs_label_show(struct config_item *item, char *page)
{
	return carehub_cfs_show_str(item, to_cfs_sensor(item)->label, page);
}

static int carehub_cfs_set_label(struct carehub_cfs_sensor *s,
				 const char *page, size_t count)
{
	return carehub_cfs_copy(s, "label", s->label, sizeof(s->label),
				page, count);
}

static ssize_t carehub_cfs_label_store(struct config_item *item,
				       const char *page, size_t count)
{
	return carehub_cfs_store(item, page, count, carehub_cfs_set_label);
}

static ssize_t carehub_cfs_gpio_chip_show(struct config_item *item,
					  char *page)
{
	return carehub_cfs_show_str(item, to_cfs_sensor(item)->gpio_chip,
				    page);
}

static int carehub_cfs_set_gpio_chip(struct carehub_cfs_sensor *s,
				     const char *page, size_t count)
{
	return carehub_cfs_copy(s, "gpio_chip", s->gpio_chip,
				sizeof(s->gpio_chip), page, count);
}

static ssize_t carehub_cfs_gpio_chip_store(struct config_item *item,
					   const char *page, size_t count)
{
	return carehub_cfs_store(item, page, count,
				 carehub_cfs_set_gpio_chip);
}

static ssize_t carehub_cfs_gpio_line_show(struct config_item *item,
					  char *page)
{
	return carehub_cfs_show_str(item, to_cfs_sensor(item)->gpio_line,
				    page);
}

static int carehub_cfs_set_gpio_line(struct carehub_cfs_sensor *s,
				     const char *page, size_t count)
{
	return carehub_cfs_copy(s, "gpio_line", s->gpio_line,
				sizeof(s->gpio_line), page, count);
}

static ssize_t carehub_cfs_gpio_line_store(struct config_item *item,
					   const char *page, size_t count)
{
	return carehub_cfs_store(item, page, count,
				 carehub_cfs_set_gpio_line);
}

static ssize_t carehub_cfs_active_low_show(struct config_item *item,
					   char *page)
{
	return carehub_cfs_show_u32(item, &to_cfs_sensor(item)->active_low,
				    page);
}

static int carehub_cfs_set_active_low(struct carehub_cfs_sensor *s,
				      const char *page, size_t count)
{
	return carehub_cfs_parse_u32(s, "active_low", page, 0, 1,
				     &s->active_low);
}

static ssize_t carehub_cfs_active_low_store(struct config_item *item,
					    const char *page, size_t count)
{
	return carehub_cfs_store(item, page, count,
				 carehub_cfs_set_active_low);
}

static ssize_t carehub_cfs_debounce_ms_show(struct config_item *item,
					    char *page)
{
	return carehub_cfs_show_u32(item, &to_cfs_sensor(item)->debounce_ms,
				    page);
}

static int carehub_cfs_set_debounce_ms(struct carehub_cfs_sensor *s,
				       const char *page, size_t count)
{
	return carehub_cfs_parse_u32(s, "debounce_ms", page, 1,
				     CAREHUB_DEBOUNCE_MS_MAX,
				     &s->debounce_ms);
}

static ssize_t carehub_cfs_debounce_ms_store(struct config_item *item,
					     const char *page, size_t count)
{
	return carehub_cfs_store(item, page, count,
				 carehub_cfs_set_debounce_ms);
}

static ssize_t carehub_cfs_holdoff_max_ms_show(struct config_item *item,
					       char *page)
{
	return carehub_cfs_show_u32(item,
				    &to_cfs_sensor(item)->holdoff_max_ms,
				    page);
}

static int carehub_cfs_set_holdoff_max_ms(struct carehub_cfs_sensor *s,
					  const char *page, size_t count)
{
	return carehub_cfs_parse_u32(s, "holdoff_max_ms", page, 2,
				     CAREHUB_HOLDOFF_MS_MAX,
				     &s->holdoff_max_ms);
}

static ssize_t carehub_cfs_holdoff_max_ms_store(struct config_item *item,
						const char *page, size_t count)
{
	return carehub_cfs_store(item, page, count,
				 carehub_cfs_set_holdoff_max_ms);
}

static ssize_t carehub_cfs_verify_ms_show(struct config_item *item,
					  char *page)
{
	return carehub_cfs_show_u32(item, &to_cfs_sensor(item)->verify_ms,
				    page);
}

static int carehub_cfs_set_verify_ms(struct carehub_cfs_sensor *s,
				     const char *page, size_t count)
{
	u32 v;
	int ret;

	ret = carehub_cfs_parse_u32(s, "verify_ms", page, 0,
				    CAREHUB_VERIFY_MS_MAX, &v);
	if (ret)
		return ret;
	if (v && v < CAREHUB_VERIFY_MS_MIN) {
		cfs_err(s, "verify_ms must be 0 (off) or in %u..%u",
			CAREHUB_VERIFY_MS_MIN, CAREHUB_VERIFY_MS_MAX);
		return -EINVAL;
	}
	s->verify_ms = v;
	return 0;
}

static ssize_t carehub_cfs_verify_ms_store(struct config_item *item,
					   const char *page, size_t count)
{
	return carehub_cfs_store(item, page, count, carehub_cfs_set_verify_ms);
}

static const char * const carehub_cfs_bias_names[] = {
	[CAREHUB_BIAS_AS_IS] = "as-is",
	[CAREHUB_BIAS_PULL_UP] = "pull-up",
	[CAREHUB_BIAS_PULL_DOWN] = "pull-down",
	[CAREHUB_BIAS_DISABLE] = "disable",
};

/* The DT property each value becomes (none for as-is). */
static const char * const carehub_cfs_bias_props[] = {
	[CAREHUB_BIAS_PULL_UP] = "bias-pull-up",
	[CAREHUB_BIAS_PULL_DOWN] = "bias-pull-down",
	[CAREHUB_BIAS_DISABLE] = "bias-disable",
};

static ssize_t carehub_cfs_bias_show(struct config_item *item, char *page)
{
	struct carehub_cfs_sensor *s = to_cfs_sensor(item);
	ssize_t ret;

	mutex_lock(&s->lock);
	ret = sysfs_emit(page, "%s\n", carehub_cfs_bias_names[s->bias]);
	mutex_unlock(&s->lock);
	return ret;
}

static int carehub_cfs_set_bias(struct carehub_cfs_sensor *s,
				const char *page, size_t count)
{
	int i = sysfs_match_string(carehub_cfs_bias_names, page);

	if (i < 0) {
		cfs_err(s, "bias must be as-is, pull-up, pull-down or disable");
		return -EINVAL;
	}
	s->bias = i;
	return 0;
}

static ssize_t carehub_cfs_bias_store(struct config_item *item,
				      const char *page, size_t count)
{
	return carehub_cfs_store(item, page, count, carehub_cfs_set_bias);
}

static ssize_t carehub_cfs_wakeup_show(struct config_item *item, char *page)
{
	return carehub_cfs_show_u32(item, &to_cfs_sensor(item)->wakeup, page);
}

static int carehub_cfs_set_wakeup(struct carehub_cfs_sensor *s,
				  const char *page, size_t count)
{
	return carehub_cfs_parse_u32(s, "wakeup", page, 0, 1, &s->wakeup);
}

static ssize_t carehub_cfs_wakeup_store(struct config_item *item,
					const char *page, size_t count)
{
	return carehub_cfs_store(item, page, count, carehub_cfs_set_wakeup);
}

static ssize_t carehub_cfs_dev_name_show(struct config_item *item, char *page)
{
	struct carehub_cfs_sensor *s = to_cfs_sensor(item);
	ssize_t ret;

	mutex_lock(&s->lock);
	ret = sysfs_emit(page, "%s\n",
			 s->pdev ? dev_name(&s->pdev->dev) : "none");
	mutex_unlock(&s->lock);
	return ret;
}

static void carehub_cfs_teardown(struct carehub_cfs_sensor *s)
{
	if (s->pdev)
		platform_device_unregister(s->pdev);
	if (s->lookup) {
		gpiod_remove_lookup_table(s->lookup);
		kfree(s->lookup->dev_id);
		kfree(s->lookup);
	}
	if (!IS_ERR_OR_NULL(s->swnode))
		fwnode_remove_software_node(s->swnode);
	s->pdev = NULL;
	s->lookup = NULL;
	s->swnode = NULL;
}

static int carehub_cfs_add_lookup(struct carehub_cfs_sensor *s)
{
	const char *key = s->gpio_line;
	u16 hwnum = U16_MAX;
	u16 offset;

	/* A number is an offset on gpio_chip, anything else a line name. */
	if (!kstrtou16(s->gpio_line, 10, &offset) && offset != U16_MAX) {
		if (!s->gpio_chip[0]) {
			cfs_err(s, "gpio_line is an offset but gpio_chip is not set");
			return -EINVAL;
		}
		key = s->gpio_chip;
		hwnum = offset;
	}

	s->lookup = kzalloc(struct_size(s->lookup, table, 2), GFP_KERNEL);
	if (!s->lookup)
		return -ENOMEM;
	s->lookup->dev_id = kasprintf(GFP_KERNEL, "%s.%d",
				      CAREHUB_CONTACT_DRV_NAME, s->id);
	if (!s->lookup->dev_id) {
		kfree(s->lookup);
		s->lookup = NULL;
		return -ENOMEM;
	}
	s->lookup->table[0] =
		GPIO_LOOKUP(key, hwnum, NULL,
			    s->active_low ? GPIO_ACTIVE_LOW : GPIO_ACTIVE_HIGH);
	gpiod_add_lookup_table(s->lookup);
	return 0;
}

/* Contact properties after the common ones; returns the next index. */
static int carehub_cfs_contact_props(struct carehub_cfs_sensor *s,
				     struct property_entry *props, int n)
{
	if (!s->gpio_line[0]) {
		cfs_err(s, "gpio_line is not set");
		return -EINVAL;
	}
	if (s->holdoff_max_ms <= s->debounce_ms) {
		cfs_err(s, "holdoff_max_ms (%u) must exceed debounce_ms (%u)",
			s->holdoff_max_ms, s->debounce_ms);
		return -EINVAL;
	}
	props[n++] = PROPERTY_ENTRY_U32("carehub,debounce-ms", s->debounce_ms);
	props[n++] = PROPERTY_ENTRY_U32("carehub,holdoff-max-ms",
					s->holdoff_max_ms);
	props[n++] = PROPERTY_ENTRY_U32("carehub,verify-ms", s->verify_ms);
	if (s->wakeup)
		props[n++] = PROPERTY_ENTRY_BOOL("wakeup-source");
	if (s->bias != CAREHUB_BIAS_AS_IS)
		props[n++] = PROPERTY_ENTRY_BOOL(carehub_cfs_bias_props[s->bias]);
	return n;
}

/*
 * Whether the driver bound, from the driver core itself: dev->driver is
 * set by really_probe() before the probe runs, so it says nothing about
 * the outcome; BUS_NOTIFY_BOUND_DRIVER is sent once a probe succeeded.
 * (device_is_bound() is not exported on 6.1.) As gpio-sim does.
 */
static int carehub_cfs_bus_notify(struct notifier_block *nb,
				  unsigned long action, void *data)
{
	struct carehub_cfs_sensor *s = container_of(nb, struct carehub_cfs_sensor,
						    bus_nb);
	struct device *dev = data;

	if (!device_match_name(dev, s->dev_name))
		return NOTIFY_DONE;
	switch (action) {
	case BUS_NOTIFY_BOUND_DRIVER:
		WRITE_ONCE(s->bound, true);
		return NOTIFY_OK;
	case BUS_NOTIFY_DRIVER_NOT_BOUND:
	case BUS_NOTIFY_UNBOUND_DRIVER:
		WRITE_ONCE(s->bound, false);
		return NOTIFY_OK;
	default:
		return NOTIFY_DONE;
	}
}

static int carehub_cfs_go_live(struct carehub_cfs_sensor *s)
{
	struct carehub_contact_pdata pdata = { .probe_err = &s->probe_err };
	struct property_entry props[CAREHUB_CFS_PROPS_MAX] = {};
	bool pad = s->kind == CAREHUB_KIND_PAD;
	struct platform_device_info info = {
		.name = pad ? CAREHUB_PAD_DRV_NAME : CAREHUB_CONTACT_DRV_NAME,
		.id = s->id,
		.data = &pdata,
		.size_data = sizeof(pdata),
	};
	const char *name = config_item_name(&s->item);
	int n = 0, ret;

	props[n++] = PROPERTY_ENTRY_STRING("carehub,name", name);
	props[n++] = PROPERTY_ENTRY_STRING("label",
					   s->label[0] ? s->label : name);
	props[n++] = PROPERTY_ENTRY_STRING("carehub,kind",
					   carehub_kind_name(s->kind));
	n = pad ? carehub_cfs_pad_props(s, props, n) :
		  carehub_cfs_contact_props(s, props, n);
	if (n < 0)
		return n;

	s->swnode = fwnode_create_software_node(props, NULL);
	if (IS_ERR(s->swnode)) {
		ret = PTR_ERR(s->swnode);
		goto err;
	}
	info.fwnode = s->swnode;

	ret = pad ? carehub_cfs_pad_map(s) : carehub_cfs_add_lookup(s);
	if (ret)
		goto err;

	s->probe_err = 0;
	s->bound = false;
	snprintf(s->dev_name, sizeof(s->dev_name), "%s.%d", info.name, info.id);
	s->bus_nb.notifier_call = carehub_cfs_bus_notify;
	ret = bus_register_notifier(&platform_bus_type, &s->bus_nb);
	if (ret) {
		if (pad)
			carehub_cfs_pad_unmap(s);
		goto err;
	}
	s->pdev = platform_device_register_full(&info);
	/* The driver probes synchronously: the outcome is known now. */
	bus_unregister_notifier(&platform_bus_type, &s->bus_nb);
	if (pad)
		carehub_cfs_pad_unmap(s);	/* only needed by the probe */
	if (IS_ERR(s->pdev)) {
		ret = PTR_ERR(s->pdev);
		s->pdev = NULL;
		goto err;
	}
	if (!READ_ONCE(s->bound)) {
		ret = s->probe_err ?: -ENODEV;
		if (ret == -EPROBE_DEFER && pad) {
			cfs_err(s, "ADC channel '%s' of '%s' not found",
				s->pad.adc_channel, s->pad.adc_device);
			ret = -ENODEV;
		} else if (ret == -EPROBE_DEFER) {
			cfs_err(s, "GPIO line '%s' not found%s%s",
				s->gpio_line, s->gpio_chip[0] ? " on chip " : "",
				s->gpio_chip);
			ret = -ENODEV;
		} else {
			cfs_err(s, "probe failed (%d), see the message above",
				ret);
		}
		goto err;
	}
	return 0;

err:
	carehub_cfs_teardown(s);
	return ret;
}

static ssize_t carehub_cfs_live_show(struct config_item *item, char *page)
{
	struct carehub_cfs_sensor *s = to_cfs_sensor(item);
	ssize_t ret;

	mutex_lock(&s->lock);
	ret = sysfs_emit(page, "%d\n", !!s->pdev);
	mutex_unlock(&s->lock);
	return ret;
}

static ssize_t carehub_cfs_live_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct carehub_cfs_sensor *s = to_cfs_sensor(item);
	bool live;
	int ret = 0;

	if (kstrtobool(page, &live)) {
		cfs_err(s, "live must be 0 or 1");
		return -EINVAL;
	}

	mutex_lock(&s->lock);
	if (live && !s->pdev)
		ret = carehub_cfs_go_live(s);
	else if (!live && s->pdev)
		carehub_cfs_teardown(s);
	mutex_unlock(&s->lock);
	return ret ?: count;
}

CONFIGFS_ATTR(carehub_cfs_, kind);
CONFIGFS_ATTR(carehub_cfs_, label);
CONFIGFS_ATTR(carehub_cfs_, gpio_chip);
CONFIGFS_ATTR(carehub_cfs_, gpio_line);
CONFIGFS_ATTR(carehub_cfs_, active_low);
CONFIGFS_ATTR(carehub_cfs_, debounce_ms);
CONFIGFS_ATTR(carehub_cfs_, holdoff_max_ms);
CONFIGFS_ATTR(carehub_cfs_, verify_ms);
CONFIGFS_ATTR(carehub_cfs_, bias);
CONFIGFS_ATTR(carehub_cfs_, wakeup);
CONFIGFS_ATTR(carehub_cfs_, live);
CONFIGFS_ATTR_RO(carehub_cfs_, dev_name);

static struct configfs_attribute *carehub_cfs_common_attrs[] = {
	&carehub_cfs_attr_kind,
	&carehub_cfs_attr_label,
	&carehub_cfs_attr_gpio_chip,
	&carehub_cfs_attr_gpio_line,
	&carehub_cfs_attr_active_low,
	&carehub_cfs_attr_debounce_ms,
	&carehub_cfs_attr_holdoff_max_ms,
	&carehub_cfs_attr_verify_ms,
	&carehub_cfs_attr_bias,
	&carehub_cfs_attr_wakeup,
	&carehub_cfs_attr_live,
	&carehub_cfs_attr_dev_name,
	NULL
};

/* Common and contact attributes, then the pad ones; built at init. */
static struct configfs_attribute *carehub_cfs_attrs[ARRAY_SIZE(carehub_cfs_common_attrs) + 16];

static void carehub_cfs_release(struct config_item *item)
{
	struct carehub_cfs_sensor *s = to_cfs_sensor(item);

	mutex_lock(&s->lock);
	carehub_cfs_teardown(s);
	mutex_unlock(&s->lock);
	mutex_destroy(&s->lock);
	ida_free(&carehub_cfs_ida, s->id);
	kfree(s);
}

static struct configfs_item_operations carehub_cfs_item_ops = {
	.release = carehub_cfs_release,
};

static const struct config_item_type carehub_cfs_sensor_type = {
	.ct_item_ops = &carehub_cfs_item_ops,
	.ct_attrs = carehub_cfs_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_item *carehub_cfs_make_item(struct config_group *group,
						 const char *name)
{
	struct carehub_cfs_sensor *s;

	if (strlen(name) >= CAREHUB_NAME_MAX) {
		pr_err("carehub: sensor name '%s' longer than %d characters\n",
		       name, CAREHUB_NAME_MAX - 1);
		return ERR_PTR(-ENAMETOOLONG);
	}

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->id = ida_alloc(&carehub_cfs_ida, GFP_KERNEL);
	if (s->id < 0) {
		int ret = s->id;

		kfree(s);
		return ERR_PTR(ret);
	}
	mutex_init(&s->lock);
	s->kind = CAREHUB_KIND_CONTACT;
	s->debounce_ms = CAREHUB_DEBOUNCE_MS_DEFAULT;
	s->holdoff_max_ms = CAREHUB_HOLDOFF_MS_DEFAULT;
	s->verify_ms = CAREHUB_VERIFY_MS_DEFAULT;
	carehub_cfs_pad_defaults(&s->pad);
	config_item_init_type_name(&s->item, name, &carehub_cfs_sensor_type);
	return &s->item;
}

static struct configfs_group_operations carehub_cfs_group_ops = {
	.make_item = carehub_cfs_make_item,
};

static const struct config_item_type carehub_cfs_root_type = {
	.ct_group_ops = &carehub_cfs_group_ops,
	.ct_owner = THIS_MODULE,
};

static struct configfs_subsystem carehub_cfs_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "carehub",
			.ci_type = &carehub_cfs_root_type,
		},
	},
};

int __init carehub_configfs_init(void)
{
	size_t n = 0, i;

	/* Bound checked before each write; the last slot stays NULL. */
	for (i = 0; carehub_cfs_common_attrs[i]; i++) {
		if (WARN_ON(n >= ARRAY_SIZE(carehub_cfs_attrs) - 1))
			return -EINVAL;
		carehub_cfs_attrs[n++] = carehub_cfs_common_attrs[i];
	}
	for (i = 0; carehub_cfs_pad_attrs[i]; i++) {
		if (WARN_ON(n >= ARRAY_SIZE(carehub_cfs_attrs) - 1))
			return -EINVAL;
		carehub_cfs_attrs[n++] = carehub_cfs_pad_attrs[i];
	}

	config_group_init(&carehub_cfs_subsys.su_group);
	mutex_init(&carehub_cfs_subsys.su_mutex);
	return configfs_register_subsystem(&carehub_cfs_subsys);
}

void carehub_configfs_exit(void)
{
	configfs_unregister_subsystem(&carehub_cfs_subsys);
	mutex_destroy(&carehub_cfs_subsys.su_mutex);
	ida_destroy(&carehub_cfs_ida);
}
