"""The LGPD audit trail: every change and every sensitive read, who, where, and the outcome."""
