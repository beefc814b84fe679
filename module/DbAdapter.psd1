@{
    # The build (dotnet build / build.ps1) writes the version from Directory.Build.props into the copy
    # of this manifest in out/DbAdapter/; keep 0.0.0 here.
    RootModule             = 'DbAdapter.PowerShell.dll'
    ModuleVersion          = '0.0.0'
    GUID                   = '5a0f6a53-3f2e-4b7e-9d0c-7f4f3b1d2c61'
    Author                 = 'DbAdapter contributors'
    CompanyName            = 'DbAdapter'
    Copyright              = '(c) DbAdapter contributors. All rights reserved.'
    Description            = 'Looks after PostgreSQL and Supabase databases: named connection profiles, schema drift detection against schema.sql, reviewable and atomic schema repair, user-scoped JSON backup and restore, and copying data between profiles.'
    CompatiblePSEditions   = @('Core')
    PowerShellVersion      = '7.4'
    FormatsToProcess       = @('DbAdapter.Format.ps1xml')
    CmdletsToExport        = @(
        'Backup-Database'
        'Connect-DbProfile'
        'Disconnect-DbProfile'
        'Export-DbFixPlan'
        'Get-DbFixPlan'
        'Get-DbProfile'
        'Import-DbFixPlan'
        'Invoke-DbFix'
        'Restore-Database'
        'Test-DbBackup'
        'Test-DbSchema'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags                       = @('PostgreSQL', 'Postgres', 'Supabase', 'Database', 'Schema', 'Migration', 'Backup', 'Restore', 'DevOps', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            LicenseUri                 = 'https://github.com/dbadapter/DbAdapter/blob/main/LICENSE'
            ProjectUri                 = 'https://github.com/dbadapter/DbAdapter'
            ReleaseNotes               = 'Profiles and real connections (Get-DbProfile, Connect-DbProfile, Disconnect-DbProfile); schema validation (Test-DbSchema); reviewable, atomic, lock-safe schema repair (Get-DbFixPlan, Invoke-DbFix), plans exported for review and applied later exactly as reviewed (Export-DbFixPlan, Import-DbFixPlan); user-scoped backup and restore with key remapping, in one transaction (Backup-Database, Test-DbBackup, Restore-Database).'
            Prerelease                 = ''
            RequireLicenseAcceptance   = $false
            ExternalModuleDependencies = @()
        }
    }
    HelpInfoURI            = 'https://github.com/dbadapter/DbAdapter/blob/main/README.md'
}
