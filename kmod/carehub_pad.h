/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carehub mattress pads: state shared by carehub_pad.c (sampling, probe)
 * and carehub_pad_iio.c (the IIO device: channels, events, attributes).
 */
#ifndef _CAREHUB_PAD_H
#define _CAREHUB_PAD_H

#include <linux/iio/iio.h>
#include <linux/mutex.h>

#include "carehub.h"
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
 * @adc_hz: the ADC's own rate (its sampling_frequency), 0 = not known
 * @enter_pct: rise threshold, percent of empty..occupied
 * @leave_pct: fall threshold, percent of empty..occupied
 * @empty_level: calibrated raw level of the empty bed
 * @occupied_level: calibrated raw level of the bed with its person
 * @overruns: wake-ups more than one period late
 * @missed: sample deadlines skipped by those late wake-ups
 * @dropped: samples the IIO buffer had no room for (reader too slow)
 * @verified_ns: CLOCK_BOOTTIME of the last good sample
 * @buffer_on: the IIO buffer is between postenable and predisable: the
 *	only time samples may be pushed (IIO rebuilds the buffer list, the
 *	demux and the kfifo outside that window)
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
	u32 adc_hz;
	u32 enter_pct;
	u32 leave_pct;
	s32 empty_level;
	s32 occupied_level;
	u64 overruns;
	u64 missed;
	u64 dropped;
	u64 verified_ns;
	bool buffer_on;
	bool iio_events_on;
};

#define CAREHUB_PAD_NUM_CHANNELS	3

extern const struct iio_chan_spec carehub_pad_channels[CAREHUB_PAD_NUM_CHANNELS];
extern const struct iio_info carehub_pad_iio_info;
extern const struct iio_buffer_setup_ops carehub_pad_buffer_ops;
void carehub_pad_thresholds(const struct carehub_pad *p, struct cho_cfg *cfg);

#endif /* _CAREHUB_PAD_H */
