// SPDX-License-Identifier: GPL-2.0
/* iio_info.write_event_config() takes a bool state (6.13). */
#include <linux/iio/iio.h>

static int carehub_probe_wec(struct iio_dev *indio_dev,
			     const struct iio_chan_spec *chan,
			     enum iio_event_type type,
			     enum iio_event_direction dir, bool state)
{
	return 0;
}

const struct iio_info carehub_probe_info = {
	.write_event_config = carehub_probe_wec,
};
