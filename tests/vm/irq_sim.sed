# SPDX-License-Identifier: GPL-2.0
# Applied by tests/vm/gpio-sim-ko to kernel/irq/irq_sim.c of the stock Debian
# 6.1 / 6.12 sources so irq_sim builds out of tree: irq_to_desc() is not
# exported, generic_handle_irq() is and has the same effect here (the
# injection still runs in hard-IRQ context through irq_work).
s/handle_simple_irq(irq_to_desc(irqnum))/generic_handle_irq(irqnum)/
