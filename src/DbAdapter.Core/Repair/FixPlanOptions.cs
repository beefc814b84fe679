using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Repair;

/// <summary>Options of <see cref="FixPlanner.PlanAsync"/>.</summary>
/// <param name="ColumnDefinitions">Definitions that override schema.sql's for added columns (column-defs JSON).</param>
/// <param name="RecreateTables">
/// Tables to rebuild in schema.sql's shape, by name ("products" in the first schema, or
/// "schema.products"). Nothing is recreated unless named here.
/// </param>
public sealed record FixPlanOptions(ColumnDefinitions? ColumnDefinitions = null, IReadOnlyList<string>? RecreateTables = null);
