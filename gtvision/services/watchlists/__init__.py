"""Watch lists: plates and patterns of interest per tenant, with CSV import and export."""
