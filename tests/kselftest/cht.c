// SPDX-License-Identifier: GPL-2.0
/*
 * carehub selftest helpers; see cht.h.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/gpio.h>
#include <linux/iio/events.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "cht.h"

#define SIM_CFS "/sys/kernel/config/gpio-sim"
#define CAREHUB_CFS "/sys/kernel/config/carehub"

int cht_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

int cht_writef(const char *path, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return cht_write(path, buf);
}

int cht_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

long long cht_read_ll(const char *path)
{
	char buf[64];

	if (cht_read(path, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, 0);
}

int cht_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

int cht_kmsg_splat(int fd, char *line, size_t size)
{
	static const char * const bad[] = {
		"BUG:", "KASAN", "UBSAN", "WARNING:", "Oops", "Call Trace",
		"possible circular locking", "inconsistent lock state",
		"possible recursive locking", "suspicious RCU usage",
		"sleeping function called from invalid context",
	};
	char rec[8192];

	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		size_t i;

		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		rec[n] = '\0';
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (strstr(rec, bad[i])) {
				snprintf(line, size, "%s", rec);
				return 1;
			}
	}
}

uint64_t cht_boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void cht_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- gpio-sim ---------------------------------------------------------- */

static int cht_chip_label(struct cht_chip *c)
{
	struct gpiochip_info info;
	char path[CHT_PATH_MAX];
	int fd, ret;

	snprintf(path, sizeof(path), "/dev/%s", c->chip_name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	ret = ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &info) ? -errno : 0;
	close(fd);
	if (!ret)
		snprintf(c->label, sizeof(c->label), "%s", info.label);
	return ret;
}

int cht_chip_create(struct cht_chip *c, const char *name, int nlines)
{
	char path[CHT_PATH_MAX];
	int i, ret;

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->nlines = nlines;
	/* A previous run may have died before its teardown. */
	cht_chip_destroy(c);
	snprintf(c->name, sizeof(c->name), "%s", name);

	snprintf(path, sizeof(path), SIM_CFS "/%s", name);
	if (mkdir(path, 0755))
		return -errno;
	snprintf(path, sizeof(path), SIM_CFS "/%s/bank0", name);
	if (mkdir(path, 0755))
		return -errno;
	snprintf(path, sizeof(path), SIM_CFS "/%s/bank0/num_lines", name);
	ret = cht_writef(path, "%d", nlines);
	for (i = 0; !ret && i < nlines; i++) {
		snprintf(path, sizeof(path), SIM_CFS "/%s/bank0/line%d", name, i);
		if (mkdir(path, 0755))
			return -errno;
		snprintf(path, sizeof(path), SIM_CFS "/%s/bank0/line%d/name",
			 name, i);
		ret = cht_writef(path, "%s-l%d", name, i);
	}
	if (ret)
		return ret;
	snprintf(path, sizeof(path), SIM_CFS "/%s/live", name);
	ret = cht_write(path, "1");
	if (ret)
		return ret;
	snprintf(path, sizeof(path), SIM_CFS "/%s/dev_name", name);
	ret = cht_read(path, c->dev_name, sizeof(c->dev_name));
	if (ret)
		return ret;
	snprintf(path, sizeof(path), SIM_CFS "/%s/bank0/chip_name", name);
	ret = cht_read(path, c->chip_name, sizeof(c->chip_name));
	if (ret)
		return ret;
	return cht_chip_label(c);
}

void cht_chip_destroy(struct cht_chip *c)
{
	char path[CHT_PATH_MAX];
	int i;

	if (!c->name[0])
		return;
	snprintf(path, sizeof(path), SIM_CFS "/%s/live", c->name);
	cht_write(path, "0");
	for (i = 0; i < c->nlines; i++) {
		snprintf(path, sizeof(path), SIM_CFS "/%s/bank0/line%d",
			 c->name, i);
		rmdir(path);
	}
	snprintf(path, sizeof(path), SIM_CFS "/%s/bank0", c->name);
	rmdir(path);
	snprintf(path, sizeof(path), SIM_CFS "/%s", c->name);
	if (rmdir(path) && errno != ENOENT)
		fprintf(stderr, "# cht: cannot remove gpio-sim chip %s: %s\n",
			c->name, strerror(errno));
	c->name[0] = '\0';
}

int cht_line_set(const struct cht_chip *c, int line, int level)
{
	char path[CHT_PATH_MAX];

	snprintf(path, sizeof(path), "/sys/devices/platform/%s/%s/sim_gpio%d/pull",
		 c->dev_name, c->chip_name, line);
	return cht_write(path, level ? "pull-up" : "pull-down");
}

void *cht_chatter_thread(void *arg)
{
	const struct cht_chatter *a = arg;
	uint64_t end = cht_boottime_ns() + (uint64_t)a->ms * 1000000;
	int level = 0;

	while (cht_boottime_ns() < end) {
		level = !level;
		cht_line_set(a->chip, a->line, level);
		cht_sleep_ms(5);
	}
	cht_line_set(a->chip, a->line, a->end_level);
	return NULL;
}

/* ---- carehub configfs ------------------------------------------------- */

static int cht_cfs_set(const char *name, const char *attr, const char *val)
{
	char path[CHT_PATH_MAX];

	snprintf(path, sizeof(path), CAREHUB_CFS "/%s/%s", name, attr);
	return cht_write(path, val);
}

int cht_sensor_create(const char *name, const struct cht_sensor_cfg *cfg)
{
	char path[CHT_PATH_MAX], num[16];
	int ret;

	snprintf(path, sizeof(path), CAREHUB_CFS "/%s", name);
	if (mkdir(path, 0755))
		return -errno;
	ret = cht_cfs_set(name, "kind", cfg->kind ? cfg->kind : "contact");
	if (!ret && cfg->label)
		ret = cht_cfs_set(name, "label", cfg->label);
	if (!ret && cfg->chip)
		ret = cht_cfs_set(name, "gpio_chip", cfg->chip);
	if (!ret && cfg->line)
		ret = cht_cfs_set(name, "gpio_line", cfg->line);
	if (!ret && cfg->active_low)
		ret = cht_cfs_set(name, "active_low", "1");
	if (!ret && cfg->holdoff_max_ms) {
		snprintf(num, sizeof(num), "%d", cfg->holdoff_max_ms);
		ret = cht_cfs_set(name, "holdoff_max_ms", num);
	}
	if (!ret && cfg->bias)
		ret = cht_cfs_set(name, "bias", cfg->bias);
	if (!ret && cfg->verify_ms) {
		snprintf(num, sizeof(num), "%d", cfg->verify_ms < 0 ? 0 : cfg->verify_ms);
		ret = cht_cfs_set(name, "verify_ms", num);
	}
	if (!ret && cfg->debounce_ms) {
		snprintf(num, sizeof(num), "%d", cfg->debounce_ms);
		ret = cht_cfs_set(name, "debounce_ms", num);
	}
	if (!ret)
		ret = cht_cfs_set(name, "live", "1");
	return ret;
}

int cht_sensor_destroy(const char *name)
{
	char path[CHT_PATH_MAX];

	cht_cfs_set(name, "live", "0");
	snprintf(path, sizeof(path), CAREHUB_CFS "/%s", name);
	return rmdir(path) ? -errno : 0;
}

int cht_sensors_destroy_all(void)
{
	char names[64][CAREHUB_NAME_MAX];
	DIR *d = opendir(CAREHUB_CFS);
	struct dirent *de;
	int i, n = 0, ret, failed = 0;

	/* Collect first: removing entries while reading may skip some. */
	while (d && (de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.')
			snprintf(names[n++], sizeof(names[0]), "%.31s",
				 de->d_name);
	if (d)
		closedir(d);
	for (i = 0; i < n; i++) {
		ret = cht_sensor_destroy(names[i]);
		if (ret) {
			fprintf(stderr, "# cht: cannot remove sensor %s: %s\n",
				names[i], strerror(-ret));
			failed++;
		}
	}
	return failed ? -EBUSY : 0;
}

int cht_sensor_iio(const char *name, char *dir, size_t size)
{
	char path[CHT_PATH_MAX], dev[64];
	struct dirent *de;
	DIR *d;
	int ret;

	snprintf(path, sizeof(path), CAREHUB_CFS "/%s/dev_name", name);
	ret = cht_read(path, dev, sizeof(dev));
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s", dev);
	d = opendir(path);
	if (!d)
		return -errno;
	ret = -ENOENT;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, "iio:device", 10)) {
			snprintf(dir, size, "/sys/bus/iio/devices/%s",
				 de->d_name);
			ret = 0;
			break;
		}
	}
	closedir(d);
	return ret;
}

/* ---- IIO events ------------------------------------------------------- */

int cht_iio_event_open(const char *iio_dir)
{
	char path[CHT_PATH_MAX];
	const char *base = strrchr(iio_dir, '/');
	int fd, efd = -1;

	snprintf(path, sizeof(path), "/dev/%s", base ? base + 1 : iio_dir);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, IIO_GET_EVENT_FD_IOCTL, &efd) < 0)
		efd = -errno;
	close(fd);
	return efd;
}

int cht_iio_event_read(int fd, int timeout_ms, uint64_t *id, int64_t *ts)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct iio_event_data ev;
	int ret = poll(&p, 1, timeout_ms);

	if (ret <= 0)
		return ret < 0 ? -errno : 0;
	if (read(fd, &ev, sizeof(ev)) != sizeof(ev))
		return -EIO;
	*id = ev.id;
	*ts = ev.timestamp;
	return 1;
}

/* ---- netlink ---------------------------------------------------------- */

#define CHT_QUEUE 512

struct cht_nl {
	struct nl_sock *sk;
	int family;
	struct cht_msg q[CHT_QUEUE];
	int head, tail;
};

static struct nla_policy cht_policy[CAREHUB_A_MAX + 1] = {
	[CAREHUB_A_SENSOR_ID] = { .type = NLA_U32 },
	[CAREHUB_A_NAME] = { .type = NLA_STRING, .maxlen = CAREHUB_NAME_MAX },
	[CAREHUB_A_LABEL] = { .type = NLA_STRING, .maxlen = CAREHUB_LABEL_MAX },
	[CAREHUB_A_KIND] = { .type = NLA_U32 },
	[CAREHUB_A_STATE] = { .type = NLA_U8 },
	[CAREHUB_A_FAULTS] = { .type = NLA_U32 },
	[CAREHUB_A_FIRST_EDGE_NS] = { .type = NLA_U64 },
	[CAREHUB_A_SETTLE_NS] = { .type = NLA_U64 },
	[CAREHUB_A_SEQ] = { .type = NLA_U64 },
	[CAREHUB_A_SENSOR_SEQ] = { .type = NLA_U64 },
	[CAREHUB_A_EDGES] = { .type = NLA_U64 },
	[CAREHUB_A_GLITCHES] = { .type = NLA_U64 },
	[CAREHUB_A_CHATTER_FAULTS] = { .type = NLA_U64 },
	[CAREHUB_A_DEBOUNCE_MS] = { .type = NLA_U32 },
	[CAREHUB_A_HOLDOFF_MAX_MS] = { .type = NLA_U32 },
	[CAREHUB_A_REASON] = { .type = NLA_U32 },
	[CAREHUB_A_VERIFIED_NS] = { .type = NLA_U64 },
};

static int cht_parse(struct nlmsghdr *nlh, struct cht_msg *m)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *a[CAREHUB_A_MAX + 1];
	int ret;

	ret = genlmsg_parse(nlh, 0, a, CAREHUB_A_MAX, cht_policy);
	if (ret < 0)
		return -EINVAL;
	/* Every message carries the full state. */
	for (int i = CAREHUB_A_SENSOR_ID; i <= CAREHUB_A_HOLDOFF_MAX_MS; i++)
		if (!a[i])
			return -EPROTO;

	memset(m, 0, sizeof(*m));
	m->cmd = g->cmd;
	m->id = nla_get_u32(a[CAREHUB_A_SENSOR_ID]);
	snprintf(m->name, sizeof(m->name), "%s", nla_get_string(a[CAREHUB_A_NAME]));
	snprintf(m->label, sizeof(m->label), "%s",
		 nla_get_string(a[CAREHUB_A_LABEL]));
	m->kind = nla_get_u32(a[CAREHUB_A_KIND]);
	m->state = nla_get_u8(a[CAREHUB_A_STATE]);
	m->faults = nla_get_u32(a[CAREHUB_A_FAULTS]);
	m->first_edge_ns = nla_get_u64(a[CAREHUB_A_FIRST_EDGE_NS]);
	m->settle_ns = nla_get_u64(a[CAREHUB_A_SETTLE_NS]);
	m->seq = nla_get_u64(a[CAREHUB_A_SEQ]);
	m->sensor_seq = nla_get_u64(a[CAREHUB_A_SENSOR_SEQ]);
	m->edges = nla_get_u64(a[CAREHUB_A_EDGES]);
	m->glitches = nla_get_u64(a[CAREHUB_A_GLITCHES]);
	m->chatter_faults = nla_get_u64(a[CAREHUB_A_CHATTER_FAULTS]);
	m->debounce_ms = nla_get_u32(a[CAREHUB_A_DEBOUNCE_MS]);
	m->holdoff_max_ms = nla_get_u32(a[CAREHUB_A_HOLDOFF_MAX_MS]);
	m->reason = a[CAREHUB_A_REASON] ? nla_get_u32(a[CAREHUB_A_REASON]) : 0;
	m->verified_ns = a[CAREHUB_A_VERIFIED_NS] ?
			 nla_get_u64(a[CAREHUB_A_VERIFIED_NS]) : 0;
	return 0;
}

struct cht_nl *cht_nl_open(bool subscribe)
{
	struct cht_nl *nl = calloc(1, sizeof(*nl));
	int grp;

	if (!nl)
		return NULL;
	nl->sk = nl_socket_alloc();
	if (!nl->sk || genl_connect(nl->sk))
		goto err;
	nl->family = genl_ctrl_resolve(nl->sk, CAREHUB_GENL_NAME);
	if (nl->family < 0)
		goto err;
	if (subscribe) {
		grp = genl_ctrl_resolve_grp(nl->sk, CAREHUB_GENL_NAME,
					    CAREHUB_GENL_MCGRP_EVENTS);
		if (grp < 0 || nl_socket_add_membership(nl->sk, grp))
			goto err;
		nl_socket_disable_seq_check(nl->sk);
	}
	nl_socket_disable_auto_ack(nl->sk);
	return nl;
err:
	cht_nl_close(nl);
	return NULL;
}

void cht_nl_close(struct cht_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		nl_socket_free(nl->sk);
	free(nl);
}

int cht_nl_set_rcvbuf(struct cht_nl *nl, int bytes)
{
	return nl_socket_set_buffer_size(nl->sk, bytes, 0) ? -EINVAL : 0;
}

/* Read one datagram and queue the carehub messages in it. */
static int cht_nl_fill(struct cht_nl *nl, int timeout_ms)
{
	struct pollfd p = { .fd = nl_socket_get_fd(nl->sk), .events = POLLIN };
	struct sockaddr_nl peer;
	unsigned char *buf = NULL;
	struct nlmsghdr *nlh;
	int n, ret;

	ret = poll(&p, 1, timeout_ms);
	if (ret <= 0)
		return ret < 0 ? -errno : 0;
	n = nl_recv(nl->sk, &peer, &buf, NULL);
	if (n == -NLE_NOMEM)
		return -ENOBUFS;
	if (n <= 0)
		return n == 0 ? 0 : -EIO;
	for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, n);
	     nlh = nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_type != nl->family)
			continue;
		if ((nl->tail + 1) % CHT_QUEUE == nl->head) {
			free(buf);
			return -EOVERFLOW;
		}
		if (cht_parse(nlh, &nl->q[nl->tail])) {
			free(buf);
			return -EPROTO;
		}
		nl->tail = (nl->tail + 1) % CHT_QUEUE;
	}
	free(buf);
	return 1;
}

int cht_nl_recv(struct cht_nl *nl, int timeout_ms, struct cht_msg *m)
{
	uint64_t end = cht_boottime_ns() + (uint64_t)timeout_ms * 1000000;
	int ret;

	while (nl->head == nl->tail) {
		int64_t left = (int64_t)(end - cht_boottime_ns()) / 1000000;

		if (left < 0)
			return 0;
		ret = cht_nl_fill(nl, (int)left);
		if (ret <= 0)
			return ret;
	}
	*m = nl->q[nl->head];
	nl->head = (nl->head + 1) % CHT_QUEUE;
	return 1;
}

/* Send a SENSOR_GET and collect replies into m (may be NULL); count/-errno. */
static int cht_nl_request(struct cht_nl *nl, bool dump, const void *attrs,
			  size_t len, struct cht_msg *m, int max)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct sockaddr_nl peer;
	unsigned char *buf;
	int count = 0, ret = 0, n;
	bool done = false;

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 (dump ? NLM_F_DUMP : 0) | NLM_F_ACK,
			 CAREHUB_CMD_SENSOR_GET, CAREHUB_GENL_VERSION) ||
	    (len && nlmsg_append(msg, (void *)attrs, len, 0))) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0)
		return -EIO;
	ret = 0;

	while (!done) {
		struct nlmsghdr *nlh;

		n = nl_recv(nl->sk, &peer, &buf, NULL);
		if (n <= 0)
			return n == -NLE_NOMEM ? -ENOBUFS : -EIO;
		for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, n);
		     nlh = nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = nlmsg_data(nlh);

				ret = e->error;
				done = true;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				ret = *(int *)nlmsg_data(nlh);
				done = true;
			} else if (nlh->nlmsg_type == nl->family) {
				if (m && count < max && cht_parse(nlh, &m[count]))
					ret = -EPROTO;
				count++;
				if (!dump)
					continue;
			}
		}
		free(buf);
	}
	return ret < 0 ? ret : count;
}

int cht_nl_status(struct cht_nl *nl, uint64_t *seq)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct sockaddr_nl peer;
	unsigned char *buf;
	int ret = -EPROTO, n;
	bool done = false, got = false;

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_ACK, CAREHUB_CMD_STATUS_GET, CAREHUB_GENL_VERSION)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	n = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (n < 0)
		return -EIO;
	while (!done) {
		struct nlmsghdr *nlh;

		n = nl_recv(nl->sk, &peer, &buf, NULL);
		if (n <= 0)
			return -EIO;
		for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, n);
		     nlh = nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = nlmsg_data(nlh);

				ret = e->error ? e->error : got ? 0 : -EPROTO;
				done = true;
			} else if (nlh->nlmsg_type == nl->family) {
				struct nlattr *a[CAREHUB_A_MAX + 1];

				if (genlmsg_parse(nlh, 0, a, CAREHUB_A_MAX,
						  cht_policy) < 0 ||
				    !a[CAREHUB_A_SEQ])
					continue;
				*seq = nla_get_u64(a[CAREHUB_A_SEQ]);
				got = true;
			}
		}
		free(buf);
	}
	return ret;
}

int cht_nl_dump(struct cht_nl *nl, struct cht_msg *m, int max)
{
	return cht_nl_request(nl, true, NULL, 0, m, max);
}

int cht_nl_get(struct cht_nl *nl, uint32_t id, struct cht_msg *m)
{
	struct {
		struct nlattr hdr;
		uint32_t id;
	} a = { { sizeof(a), CAREHUB_A_SENSOR_ID }, id };
	int ret = cht_nl_request(nl, false, &a, sizeof(a), m, 1);

	return ret < 0 ? ret : ret == 1 ? 0 : -EPROTO;
}

int cht_nl_get_raw(struct cht_nl *nl, bool dump, const void *attrs,
		   size_t len)
{
	int ret = cht_nl_request(nl, dump, attrs, len, NULL, 0);

	return ret < 0 ? ret : 0;
}

/* ---- the module ------------------------------------------------------- */

static bool cht_loaded(const char *name)
{
	char path[CHT_PATH_MAX];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}

bool cht_module_loaded(void)
{
	return cht_loaded("carehub");
}

int cht_module_load_from(const char *env, const char *name)
{
	const char *ko = getenv(env);
	int fd, ret;

	if (cht_loaded(name))
		return 0;
	if (!ko)
		return -ENOENT;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

int cht_module_load(void)
{
	return cht_module_load_from("CAREHUB_KO", "carehub");
}

int cht_module_unload(void)
{
	int i, ret = 0;

	/* A reference can linger a moment after a sensor is removed. */
	for (i = 0; i < 200 && cht_module_loaded(); i++) {
		ret = syscall(SYS_delete_module, "carehub", O_NONBLOCK) ?
		      -errno : 0;
		if (ret != -EAGAIN && ret != -EBUSY)
			break;
		cht_sleep_ms(5);
	}
	return ret;
}
