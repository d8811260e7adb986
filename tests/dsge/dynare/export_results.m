function export_results(path)
% EXPORT_RESULTS  Write Dynare's first-order results (after stoch_simul) to PATH as JSON.
%   Every number is written with 17 significant digits; matrices as lists of rows.
%   Used by generate.py; see that script for what the fields mean.
global M_ oo_ options_
fid = fopen(path, 'w');
fprintf(fid, '{\n');
n = M_.orig_endo_nbr;
field(fid, 'dynare_version', ['"' dynare_version() '"']);
field(fid, 'endo_names', strlist(M_.endo_names));
field(fid, 'orig_endo_nbr', sprintf('%d', n));
field(fid, 'exo_names', strlist(M_.exo_names));
field(fid, 'steady_state', mat(oo_.dr.ys));  % the steady state of the decision rules (also without 'steady;')
field(fid, 'loglinear', sprintf('%d', options_.loglinear));
field(fid, 'hp_filter', num(options_.hp_filter));
field(fid, 'sigma_e', mat(M_.Sigma_e));
field(fid, 'eigval_real', mat(real(oo_.dr.eigval)));
field(fid, 'eigval_imag', mat(imag(oo_.dr.eigval)));
field(fid, 'order_var', mat(oo_.dr.order_var));
field(fid, 'nstatic', sprintf('%d', M_.nstatic));
field(fid, 'nspred', sprintf('%d', M_.nspred));
field(fid, 'ghx', mat(oo_.dr.ghx));
field(fid, 'ghu', mat(oo_.dr.ghu));
aux = zeros(numel(M_.aux_vars), 4);
for i = 1:numel(M_.aux_vars)
  a = M_.aux_vars(i);
  oi = 0; ol = 0;  % some auxiliary types have neither field
  if isfield(a, 'orig_index') && ~isempty(a.orig_index), oi = a.orig_index; end
  if isfield(a, 'orig_lead_lag') && ~isempty(a.orig_lead_lag), ol = a.orig_lead_lag; end
  aux(i, :) = [a.endo_index, a.type, oi, ol];
end
field(fid, 'aux', mat(aux));
field(fid, 'var_list', strlist(oo_.var_list));
field(fid, 'var', mat(oo_.var));
ac = '[';
autocorr = {};
if isfield(oo_, 'autocorr'), autocorr = oo_.autocorr; end  % none with ar=0
for k = 1:numel(autocorr)
  if k > 1, ac = [ac ', ']; end
  ac = [ac mat(autocorr{k})];
end
field(fid, 'autocorr', [ac ']']);
if isfield(oo_, 'variance_decomposition')
  field(fid, 'variance_decomposition', mat(oo_.variance_decomposition));
end
if isfield(oo_, 'conditional_variance_decomposition') && ~isempty(options_.conditional_variance_decomposition)
  cv = oo_.conditional_variance_decomposition;
  steps = options_.conditional_variance_decomposition;
  s = '[';
  for h = 1:numel(steps)
    if h > 1, s = [s ', ']; end
    s = [s mat(reshape(cv(:, h, :), size(cv, 1), size(cv, 3)))];
  end
  field(fid, 'conditional_steps', mat(steps(:)'));
  field(fid, 'conditional_variance_decomposition', [s ']']);
end
names = {};
if isfield(oo_, 'irfs'), names = fieldnames(oo_.irfs); end  % none with irf=0
s = '{';
for k = 1:numel(names)
  if k > 1, s = [s ', ']; end
  s = [s '"' names{k} '": ' mat(oo_.irfs.(names{k}))];
end
fprintf(fid, '"irfs": %s\n}\n', [s '}']);
fclose(fid);
end

function field(fid, name, text)
fprintf(fid, '"%s": %s,\n', name, text);
end

function s = num(x)
if isempty(x)
  s = 'null';
elseif isinf(x)
  if x > 0, s = '"inf"'; else, s = '"-inf"'; end
elseif isnan(x)
  s = 'null';
else
  s = sprintf('%.17g', x);
end
end

function s = mat(m)
% rows of a matrix as a JSON list of lists (a vector as one row)
if isvector(m) && ~isempty(m)
  m = m(:)';
end
rows = cell(size(m, 1), 1);
for i = 1:size(m, 1)
  cells = cell(1, size(m, 2));
  for j = 1:size(m, 2)
    cells{j} = num(m(i, j));
  end
  rows{i} = ['[' strjoin(cells, ', ') ']'];
end
s = ['[' strjoin(rows', ', ') ']'];
end

function s = strlist(c)
q = cellfun(@(x) ['"' strtrim(x) '"'], cellstr(c), 'UniformOutput', false);
s = ['[' strjoin(q(:)', ', ') ']'];
end
