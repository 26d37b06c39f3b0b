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
 * The thread is freezable: it does not read an I2C or SPI ADC whose bus is
 * suspended, and after resume it restarts its deadlines instead of
 * counting the time asleep as missed samples.
 */
#include <linux/freezer.h>
#include <linux/hrtimer.h>
#include <linux/iio/buffer.h>
#include <linux/iio/consumer.h>
#include <linux/iio/events.h>
#include <linux/iio/iio.h>
#include <linux/iio/kfifo_buf.h>
#include <linux/kthread.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/sched.h>

#include "carehub.h"
#include "carehub_occupancy.h"
#include "carehub_pad.h"

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
		.verified_ns = p->verified_ns,
	};
}

/* Thresholds from the calibration. Caller holds p->lock or owns p. */
void carehub_pad_thresholds(const struct carehub_pad *p, struct cho_cfg *cfg)
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

	dir = st->level ? IIO_EV_DIR_RISING : IIO_EV_DIR_FALLING;
	iio_push_event(p->indio_dev,
		       IIO_UNMOD_EVENT_CODE(IIO_VOLTAGE, 0, IIO_EV_TYPE_THRESH,
					    dir),
		       carehub_iio_stamp(p->indio_dev, st->first_edge_ns));
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
	if (ret >= 0)
		p->verified_ns = now;
	carehub_pad_snapshot(p, &st);
	iio_on = p->iio_events_on;
	/*
	 * Under the lock that postenable/predisable take: IIO never changes
	 * the buffer list, the demux or the kfifo while a push runs.
	 */
	if (ret >= 0 && p->buffer_on) {
		scan.raw = raw;
		/* A full kfifo drops the sample: count it, never silently. */
		if (iio_push_to_buffers_with_timestamp(p->indio_dev, &scan,
						       iio_get_time_ns(p->indio_dev)))
			p->dropped++;
	}
	mutex_unlock(&p->lock);

	if (ret >= 0)
		carehub_sensor_verified(&p->sensor, now);
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

	set_freezable();
	while (!kthread_should_stop()) {
		bool frozen = false;
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
		if (kthread_freezable_should_stop(&frozen))
			break;
		if (frozen) {
			/* Suspended, not late: a new grid from now. */
			next = ktime_get_boottime_ns();
			continue;
		}
		carehub_pad_sample(p);
	}
	return 0;
}

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

	p->rate_hz = 0;		/* auto: carehub_pad_fit_rate() */
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

	if (p->leave_pct >= p->enter_pct || p->enter_pct > 100)
		return dev_err_probe(dev, -EINVAL,
				     "need leave-percent %u < enter-percent %u <= 100\n",
				     p->leave_pct, p->enter_pct);
	/* The ranges configfs enforces, for device tree too. */
	if (enter_ms > CAREHUB_PAD_HOLD_MS_MAX ||
	    leave_ms > CAREHUB_PAD_HOLD_MS_MAX ||
	    stuck_ms > CAREHUB_PAD_HOLD_MS_MAX ||
	    offline_ms > CAREHUB_PAD_HOLD_MS_MAX)
		return dev_err_probe(dev, -EINVAL,
				     "hold, stuck and offline times above %u ms\n",
				     CAREHUB_PAD_HOLD_MS_MAX);
	if (stuck_delta > S32_MAX)
		return dev_err_probe(dev, -EINVAL,
				     "carehub,stuck-delta %u above %d\n",
				     stuck_delta, S32_MAX);

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

/*
 * The sampling rate against the ADC's own (its sampling_frequency: an HX711
 * gives 10 or 80 SPS), when the ADC says: sampling faster reads the same
 * conversion again and overruns on every sample. Unset, the rate is the
 * default or the ADC's rate if lower; set above the ADC's, it is refused.
 */
static int carehub_pad_fit_rate(struct carehub_pad *p)
{
	struct device *dev = p->dev;
	int val, val2, ret;

	ret = iio_read_channel_attribute(p->chan, &val, &val2,
					 IIO_CHAN_INFO_SAMP_FREQ);
	p->adc_hz = 0;
	if ((ret == IIO_VAL_INT || ret == IIO_VAL_INT_PLUS_MICRO ||
	     ret == IIO_VAL_INT_PLUS_NANO) && val > 0)
		p->adc_hz = val;

	if (!p->rate_hz) {
		p->rate_hz = CAREHUB_PAD_RATE_DEFAULT;
		if (p->adc_hz && p->adc_hz < p->rate_hz)
			p->rate_hz = p->adc_hz;
	}
	if (p->rate_hz < CAREHUB_PAD_RATE_MIN ||
	    p->rate_hz > CAREHUB_PAD_RATE_MAX)
		return dev_err_probe(dev, -EINVAL,
				     "sample rate %u Hz not in %u..%u\n",
				     p->rate_hz, CAREHUB_PAD_RATE_MIN,
				     CAREHUB_PAD_RATE_MAX);
	if (p->adc_hz && p->rate_hz > p->adc_hz)
		return dev_err_probe(dev, -EINVAL,
				     "sample rate %u Hz above the ADC's %u SPS\n",
				     p->rate_hz, p->adc_hz);
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
	ret = carehub_pad_fit_rate(p);
	if (ret)
		goto out;

	/* A pad unplugged at install time still gets a sensor: offline. */
	ret = iio_read_channel_raw(p->chan, &raw);
	cho_init(&p->cho, &cfg, ret < 0 ? cfg.fall - 1 : raw,
		 ktime_get_boottime_ns());
	if (ret >= 0)
		p->verified_ns = p->cho.settle_ns;
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
	indio_dev->num_channels = CAREHUB_PAD_NUM_CHANNELS;
	indio_dev->modes = INDIO_DIRECT_MODE;
	/* The netlink clock, for events and buffered samples alike. */
	ret = iio_device_set_clock(indio_dev, CLOCK_BOOTTIME);
	if (ret)
		goto out;
	ret = devm_iio_kfifo_buffer_setup(dev, indio_dev,
					  &carehub_pad_buffer_ops);
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
