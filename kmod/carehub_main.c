// SPDX-License-Identifier: GPL-2.0
/*
 * carehub: debounced elder-care sensors (door contacts, SOS buttons, bed and
 * toilet switches, mattress pads) through IIO and a generic netlink event
 * stream.
 *
 * Module entry: brings the parts up in dependency order and down in reverse.
 * See docs/architecture.md and docs/kernel-abi.md.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "carehub.h"

struct dentry *carehub_debugfs_root;
struct workqueue_struct *carehub_wq;

static int __init carehub_init(void)
{
	int ret;

	/*
	 * Contacts decide in work items: high priority (latency), freezable
	 * (no read of a GPIO behind a suspended I2C bus; resume resyncs).
	 */
	carehub_wq = alloc_workqueue("carehub", WQ_HIGHPRI | WQ_FREEZABLE, 0);
	if (!carehub_wq)
		return -ENOMEM;

	/* Fault injection for the selftests: the next N announcements fail. */
	carehub_debugfs_root = debugfs_create_dir("carehub", NULL);
	debugfs_create_atomic_t("fail_announce", 0600, carehub_debugfs_root,
				&carehub_fail_announce);

	ret = carehub_nl_init();
	if (ret) {
		pr_err("carehub: cannot register the netlink family: %d\n", ret);
		goto err_debugfs;
	}

	ret = platform_driver_register(&carehub_contact_driver);
	if (ret) {
		pr_err("carehub: cannot register the contact driver: %d\n", ret);
		goto err_nl;
	}

	ret = platform_driver_register(&carehub_pad_driver);
	if (ret) {
		pr_err("carehub: cannot register the pad driver: %d\n", ret);
		goto err_contact;
	}

	ret = carehub_configfs_init();
	if (ret) {
		pr_err("carehub: cannot register configfs: %d\n", ret);
		goto err_pad;
	}
	return 0;

err_pad:
	platform_driver_unregister(&carehub_pad_driver);
err_contact:
	platform_driver_unregister(&carehub_contact_driver);
err_nl:
	carehub_nl_exit();
err_debugfs:
	debugfs_remove_recursive(carehub_debugfs_root);
	destroy_workqueue(carehub_wq);
	return ret;
}
module_init(carehub_init);

static void __exit carehub_exit(void)
{
	/* configfs holds a module reference while sensors are declared. */
	carehub_configfs_exit();
	platform_driver_unregister(&carehub_pad_driver);
	platform_driver_unregister(&carehub_contact_driver);
	carehub_nl_exit();
	carehub_sensors_exit();
	debugfs_remove_recursive(carehub_debugfs_root);
	destroy_workqueue(carehub_wq);
}
module_exit(carehub_exit);

MODULE_DESCRIPTION("carehub debounced elder-care sensors (IIO, generic netlink)");
MODULE_AUTHOR("carehub developers");
MODULE_LICENSE("GPL");
MODULE_ALIAS("platform:" CAREHUB_CONTACT_DRV_NAME);
MODULE_ALIAS("platform:" CAREHUB_PAD_DRV_NAME);
MODULE_ALIAS_GENL_FAMILY(CAREHUB_GENL_NAME);
