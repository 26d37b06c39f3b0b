/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carehub selftest helpers (prefix cht_): simulated GPIO lines (gpio-sim),
 * carehub sensors through configfs, IIO event reading, and a minimal,
 * independent decoder of the carehub netlink ABI (deliberately not the
 * daemon's parser: the tests check the kernel against the uapi header).
 */
#ifndef CHT_H
#define CHT_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/carehub.h>

#define CHT_PATH_MAX 256

/* A gpio-sim chip with one bank of lines named cht<N>. */
struct cht_chip {
	char name[32];		/* configfs directory */
	char dev_name[64];	/* platform device, e.g. gpio-sim.0 */
	char chip_name[32];	/* gpiochipN */
	char label[64];		/* chip label, for carehub's gpio_chip */
	int nlines;
};

int cht_chip_create(struct cht_chip *c, const char *name, int nlines);
void cht_chip_destroy(struct cht_chip *c);
int cht_line_set(const struct cht_chip *c, int line, int level);

/* Write a string to a file; 0 or -errno. */
int cht_write(const char *path, const char *val);
int cht_writef(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Read a file's first line without the newline; 0 or -errno. */
int cht_read(const char *path, char *buf, size_t size);
long long cht_read_ll(const char *path);

struct cht_sensor_cfg {
	const char *kind;
	const char *label;
	const char *chip;	/* chip label, NULL for a line name */
	const char *line;	/* offset or line name */
	int debounce_ms;
	int holdoff_max_ms;
	int active_low;
	int verify_ms;		/* 0: the default; -1: off */
	const char *bias;	/* NULL: the default */
};

/* Create /sys/kernel/config/carehub/<name> and make it live; 0/-errno. */
int cht_sensor_create(const char *name, const struct cht_sensor_cfg *cfg);
int cht_sensor_destroy(const char *name);
/* Remove every declared sensor (each failure is printed); 0 or -EBUSY. */
int cht_sensors_destroy_all(void);
/* IIO device directory (/sys/bus/iio/devices/iio:deviceN) of a sensor. */
int cht_sensor_iio(const char *name, char *dir, size_t size);

/* IIO events of one device. */
int cht_iio_event_open(const char *iio_dir);
/* Read one event within timeout_ms: 1 got one, 0 timeout, -errno. */
int cht_iio_event_read(int fd, int timeout_ms, uint64_t *id, int64_t *ts);

/* One decoded carehub netlink message. */
struct cht_msg {
	int cmd;
	uint32_t id;
	char name[CAREHUB_NAME_MAX];
	char label[CAREHUB_LABEL_MAX];
	uint32_t kind;
	int state;
	uint32_t faults;
	uint64_t first_edge_ns;
	uint64_t settle_ns;
	uint64_t seq;
	uint64_t sensor_seq;
	uint64_t edges;
	uint64_t glitches;
	uint64_t chatter_faults;
	uint32_t debounce_ms;
	uint32_t holdoff_max_ms;
	uint32_t reason;
	uint64_t verified_ns;	/* 0 when the module does not send it */
};

struct cht_nl;

/* Open a socket; subscribe to "events" when subscribe is true. */
struct cht_nl *cht_nl_open(bool subscribe);
void cht_nl_close(struct cht_nl *nl);
/* Next notification within timeout_ms: 1 got one, 0 timeout, -errno. */
int cht_nl_recv(struct cht_nl *nl, int timeout_ms, struct cht_msg *m);
/* Dump every sensor into m[max]; count or -errno. */
int cht_nl_dump(struct cht_nl *nl, struct cht_msg *m, int max);
/* SENSOR_GET for one id; 0 or -errno (the kernel's extack is ignored). */
int cht_nl_get(struct cht_nl *nl, uint32_t id, struct cht_msg *m);
/* Send SENSOR_GET with raw attributes (for policy tests); -errno or 0. */
int cht_nl_get_raw(struct cht_nl *nl, bool dump, const void *attrs,
		   size_t len);
/* STATUS_GET: the family sequence; 0 or -errno. */
int cht_nl_status(struct cht_nl *nl, uint64_t *seq);
/* Set the events socket's receive buffer (bytes). */
int cht_nl_set_rcvbuf(struct cht_nl *nl, int bytes);

/*
 * The kernel log from now on: cht_kmsg_open() returns an fd positioned at
 * its end (or -errno); cht_kmsg_splat() reads what came since and returns
 * 1 with the first line that reports a kernel bug (KASAN, BUG, WARNING,
 * lockdep, a call trace) copied into line, 0 if none, -errno.
 */
int cht_kmsg_open(void);
int cht_kmsg_splat(int fd, char *line, size_t size);

/*
 * A chattering line, as a pthread start routine: the line toggles every
 * 5 ms for @ms milliseconds, then stays at @end_level.
 */
struct cht_chatter {
	const struct cht_chip *chip;
	int line;
	int ms;
	int end_level;
};
void *cht_chatter_thread(void *arg);

uint64_t cht_boottime_ns(void);
void cht_sleep_ms(int ms);

/* carehub.ko from $CAREHUB_KO; load/unload with the module syscalls. */
int cht_module_load(void);
/* Unload, retrying for up to a second while the module is busy. */
int cht_module_unload(void);
/* Any module from the path in $env, unless /sys/module/<name> exists. */
int cht_module_load_from(const char *env, const char *name);
bool cht_module_loaded(void);

#endif /* CHT_H */
