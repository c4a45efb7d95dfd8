"""What partner contacts may do with partners' models (granted by core.roles after migrate)."""

# A partner contact reads their own organisation's records and submits KPI returns.
PARTNER_CONTACT_PERMISSIONS = {
    "view_organisation",
    "view_contact",
    "view_agreement",
    "view_objective",
    "view_kpi",
    "view_kpireturn",
    "add_kpireturn",
    "view_document",
    "view_grant",
    "view_policyoutcome",
}
