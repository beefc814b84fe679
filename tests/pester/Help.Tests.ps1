#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Help as a user reads it in pwsh: Get-Help -Full for every cmdlet of the manifest, and the
# about_DbAdapter topic. No database needed.

BeforeDiscovery {
    $manifest = Import-PowerShellDataFile -Path (Join-Path $PSScriptRoot '../../module/DbAdapter.psd1')
    $script:cmdlets = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repo 'out/DbAdapter/DbAdapter.psd1') -Force
    $script:commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

AfterAll {
    Remove-Module DbAdapter -ErrorAction SilentlyContinue
}

Describe 'Get-Help <Name> -Full' -ForEach $cmdlets {
    BeforeAll {
        $script:help = Get-Help $Name -Full
        $script:command = Get-Command $Name
    }

    It 'has a synopsis of its own, not the generated syntax line' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -BeLike "$Name *"
    }

    It 'has a description' {
        ($help.description.Text -join ' ').Length | Should -BeGreaterThan 40
    }

    It 'describes every parameter' {
        $parameters = $command.Parameters.Keys | Where-Object { $_ -notin $commonParameters }
        $parameters | Should -Not -BeNullOrEmpty
        foreach ($parameter in $parameters) {
            $text = (Get-Help $Name -Parameter $parameter).description.Text -join ' '
            $text.Trim().Length | Should -BeGreaterThan 10 -Because "-$parameter needs a description"
        }
    }

    It 'has examples that use it' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        ($examples.code -join "`n") | Should -Match ([regex]::Escape($Name))
    }

    It 'names its output types' {
        $declared = @($command.OutputType | ForEach-Object { $_.Name } | Where-Object { $_ -like 'DbAdapter.*' } | Sort-Object)
        $named = @($help.returnValues.returnValue | ForEach-Object { $_.type.name } | Where-Object { $_ -like 'DbAdapter.*' } | Sort-Object)
        $named -join ', ' | Should -Be ($declared -join ', ')
    }

    It 'renders in full' {
        $text = $help | Out-String -Width 80
        $text | Should -Match 'PARAMETERS'
        $text | Should -Match 'EXAMPLE 1'
    }
}

Describe 'about_DbAdapter' {
    BeforeAll {
        $script:topic = (Get-Help about_DbAdapter | Out-String -Width 120)
    }

    It 'is found by Get-Help once the module is imported' {
        $topic | Should -Match 'about_DbAdapter'
        (Get-Help about_DbAdapter).Name | Should -Be 'about_DbAdapter'
    }

    It 'explains <Section>' -ForEach @(
        @{ Section = 'PROFILES' }
        @{ Section = 'WHICH PROFILE A COMMAND USES' }
        @{ Section = 'THE REPAIR WORKFLOW' }
        @{ Section = 'ERRORS' }
        @{ Section = 'EXAMPLES' }
    ) {
        $topic | Should -Match "(?m)^\s*$Section\s*$"
    }

    It 'names the places a profile comes from, in order' {
        $order = 'Connect-DbProfile', 'DB_PROFILE', '.db-profile', 'DATABASE_URL', 'ProfileNotFound'
        $section = $topic.Substring($topic.IndexOf('WHICH PROFILE A COMMAND USES'))
        $positions = $order | ForEach-Object { $section.IndexOf($_) }
        $positions | Should -Not -Contain -1
        $positions | Should -Be ($positions | Sort-Object)
    }

    It 'documents every ErrorId the module defines' {
        $source = Get-Content -Raw -Path (Join-Path $repo 'src/DbAdapter.Core/Diagnostics/ErrorIds.cs')
        $ids = [regex]::Matches($source, 'public const string (\w+)') | ForEach-Object { $_.Groups[1].Value }
        $ids.Count | Should -BeGreaterThan 10
        $errors = $topic.Substring($topic.IndexOf('ERRORS'))
        foreach ($id in $ids) {
            $errors | Should -Match "\b$id\b" -Because "ErrorId $id needs a line in about_DbAdapter"
        }
    }

    It 'lists every cmdlet of the manifest' {
        $manifest = Import-PowerShellDataFile -Path (Join-Path $repo 'module/DbAdapter.psd1')
        foreach ($name in $manifest.CmdletsToExport) {
            $topic | Should -Match ([regex]::Escape($name))
        }
    }
}
