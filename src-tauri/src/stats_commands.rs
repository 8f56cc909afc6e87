//! Statistics commands: the settings of the rate formula.

use crate::commands::with_store;
use crate::AppState;
use streetdesk_core::error::ApiResult;
use streetdesk_core::kpi::RateFormula;
use tauri::State;

/// The shares and weights of 响应率, 解决率, 满意率 and the composite.
#[tauri::command]
pub async fn get_rate_formula(state: State<'_, AppState>) -> ApiResult<RateFormula> {
    with_store(&state, |s| s.rate_formula())
}

/// Saves them; weights must add up to 1.
#[tauri::command]
pub async fn save_rate_formula(
    state: State<'_, AppState>,
    formula: RateFormula,
) -> ApiResult<RateFormula> {
    with_store(&state, |s| s.set_rate_formula(&formula))
}
